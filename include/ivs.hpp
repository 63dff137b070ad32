// ivs.hpp: a small header-only C++17 wrapper of ivs.h (libivs) for C++ and game-engine code.
//
//   ivs::Emulator emulator;                                   // or a real AWS region
//   ivs::Client client(emulator.client_config());
//   std::string channel = client.call("CreateChannel", R"({"name": "demo"})");
//   for (const std::string &item : client.paginate("ListChannels").items()) { ... }
//   std::future<std::string> later = client.call_async("GetChannel", request);
//   try { client.call("GetChannel", missing); } catch (const ivs::Error &e) { e.code(); }
//
// Requests and responses are JSON strings in IVS's wire shapes (as boto3's dicts); parse them
// with the JSON library you already use. Handles free themselves (RAII, move-only); failures
// throw ivs::Error with the kind, code, message, HTTP status and request id of the ivs_error.
#ifndef LIBIVS_IVS_HPP
#define LIBIVS_IVS_HPP

#include <chrono>
#include <cstdint>
#include <exception>
#include <functional>
#include <future>
#include <iterator>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>

#include "ivs.h"

namespace ivs {

/// A libivs error: what an `ivs_error` says, as an exception.
class Error : public std::runtime_error {
public:
    explicit Error(const ivs_error *error)
        : std::runtime_error(describe(error)),
          kind_(ivs_error_kind(error)),
          code_(ivs_error_code(error)),
          message_(ivs_error_message(error)),
          http_status_(ivs_error_http_status(error)),
          request_id_(ivs_error_request_id(error) ? ivs_error_request_id(error) : ""),
          retryable_(ivs_error_retryable(error)) {}

    ivs_error_kind_t kind() const noexcept { return kind_; }
    const char *kind_name() const noexcept { return ivs_error_kind_name(kind_); }
    /// `"ResourceNotFoundException"`, `"ParamValidationError"`, `"InvalidArgument"`...
    const std::string &code() const noexcept { return code_; }
    const std::string &message() const noexcept { return message_; }
    /// 0 when no response arrived.
    std::uint16_t http_status() const noexcept { return http_status_; }
    /// Empty when no response arrived.
    const std::string &request_id() const noexcept { return request_id_; }
    bool retryable() const noexcept { return retryable_; }

private:
    static std::string describe(const ivs_error *error) {
        return std::string(ivs_error_code(error)) + ": " + ivs_error_message(error);
    }

    ivs_error_kind_t kind_;
    std::string code_, message_;
    std::uint16_t http_status_;
    std::string request_id_;
    bool retryable_;
};

namespace detail {

struct ErrorDeleter {
    void operator()(ivs_error *e) const noexcept { ivs_error_free(e); }
};
using ErrorPtr = std::unique_ptr<ivs_error, ErrorDeleter>;

/// Takes ownership of a libivs string and copies it out.
inline std::string take(char *text) {
    if (text == nullptr) return std::string();
    std::string out(text);
    ivs_string_free(text);
    return out;
}

/// Throws the error of a failed call (and frees it).
inline void check(ivs_status status, ivs_error *error) {
    ErrorPtr owned(error);
    if (status == IVS_ERROR) throw Error(owned.get());
}

inline const char *c_str_or_null(const std::optional<std::string> &text) {
    return text ? text->c_str() : nullptr;
}

}  // namespace detail

class Paginator;

/// A client for Amazon IVS (`ivs_client`). Thread-safe; move-only. Destroying it cancels the
/// async calls still in flight and waits for their callbacks.
class Client {
public:
    /// `config_json`: `{"region", "endpoint_url", "access_key_id", "secret_access_key",
    /// "profile", "retry_mode", "max_attempts", "connect_timeout", "read_timeout",
    /// "operation_timeout", ...}`; empty: everything from the AWS environment.
    explicit Client(const std::string &config_json = "{}") {
        ivs_error *error = nullptr;
        handle_ = ivs_client_new(config_json.c_str(), &error);
        if (handle_ == nullptr) detail::check(IVS_ERROR, error);
    }
    Client(Client &&other) noexcept : handle_(std::exchange(other.handle_, nullptr)) {}
    Client &operator=(Client &&other) noexcept {
        if (this != &other) {
            ivs_client_free(handle_);
            handle_ = std::exchange(other.handle_, nullptr);
        }
        return *this;
    }
    Client(const Client &) = delete;
    Client &operator=(const Client &) = delete;
    ~Client() { ivs_client_free(handle_); }

    /// Calls `operation` (`"CreateChannel"` or `"create_channel"`) and returns its output JSON.
    std::string call(const std::string &operation, const std::string &request_json = "{}") const {
        char *response = nullptr;
        ivs_error *error = nullptr;
        const ivs_status status = ivs_call(handle_, operation.c_str(), request_json.c_str(), &response, &error);
        detail::check(status, error);
        return detail::take(response);
    }

    /// Starts `operation`; `done(response_json, error)` runs once on a libivs thread, with an
    /// empty `error` on success. `done` must not throw (an exception it throws is dropped).
    void call_async(const std::string &operation, const std::string &request_json,
                    std::function<void(std::string, std::exception_ptr)> done) const {
        auto *state = new std::function<void(std::string, std::exception_ptr)>(std::move(done));
        if (ivs_call_async(handle_, operation.c_str(), request_json.c_str(), &Client::trampoline,
                           state) != IVS_OK) {
            delete state;
            throw std::invalid_argument("ivs_call_async refused the call");
        }
    }

    /// Starts `operation`; the future holds the output JSON or throws ivs::Error.
    std::future<std::string> call_async(const std::string &operation,
                                        const std::string &request_json = "{}") const {
        auto promise = std::make_shared<std::promise<std::string>>();
        std::future<std::string> result = promise->get_future();
        call_async(operation, request_json, [promise](std::string response, std::exception_ptr error) {
            if (error)
                promise->set_exception(error);
            else
                promise->set_value(std::move(response));
        });
        return result;
    }

    /// Waits for every async call (without limit when `timeout` is negative); throws an
    /// ivs::Error of kind timeout when it runs out.
    void wait(std::chrono::milliseconds timeout = std::chrono::milliseconds(-1)) const {
        ivs_error *error = nullptr;
        const ivs_status status = ivs_client_wait(handle_, static_cast<std::int64_t>(timeout.count()), &error);
        detail::check(status, error);
    }

    /// Cancels the async calls in flight (their callbacks see `Cancelled`).
    void cancel() const {
        ivs_error *error = nullptr;
        const ivs_status status = ivs_client_cancel(handle_, &error);
        detail::check(status, error);
    }

    std::size_t in_flight() const noexcept { return ivs_client_in_flight(handle_); }
    std::string region() const { return ivs_client_region(handle_); }

    /// A presigned URL for `operation`, valid for `expires_in`.
    std::string presign(const std::string &operation, const std::string &request_json,
                        std::chrono::seconds expires_in = std::chrono::seconds(3600)) const {
        char *url = nullptr;
        ivs_error *error = nullptr;
        const ivs_status status = ivs_presign(handle_, operation.c_str(), request_json.c_str(),
                                  static_cast<std::int64_t>(expires_in.count()), &url, &error);
        detail::check(status, error);
        return detail::take(url);
    }

    /// Pages or items of a paginated operation; `pagination_config_json` as boto3's
    /// `PaginationConfig` (`{"PageSize", "MaxItems", "StartingToken"}`).
    inline Paginator paginate(const std::string &operation, const std::string &request_json = "{}",
                              const std::optional<std::string> &pagination_config_json =
                                  std::nullopt) const;

    /// The C handle, for calling the ivs_<operation> functions directly.
    ivs_client *get() const noexcept { return handle_; }

private:
    static void trampoline(void *user_data, ivs_status status, char *response, ivs_error *error) {
        std::unique_ptr<std::function<void(std::string, std::exception_ptr)>> done(
            static_cast<std::function<void(std::string, std::exception_ptr)> *>(user_data));
        detail::ErrorPtr owned(error);
        std::string text = detail::take(response);
        try {
            std::exception_ptr failure;
            if (status != IVS_OK) failure = std::make_exception_ptr(Error(owned.get()));
            (*done)(std::move(text), failure);
        } catch (...) {
            // Nothing may unwind into libivs.
        }
    }

    ivs_client *handle_ = nullptr;
};

/// A paginator (`ivs_paginator`), consumed as a range of pages or of items:
/// `for (const std::string &page : paginator.pages())`, `for (auto &item : paginator.items())`.
class Paginator {
public:
    class Range;

    Paginator(Paginator &&other) noexcept : handle_(std::exchange(other.handle_, nullptr)) {}
    Paginator &operator=(Paginator &&other) noexcept {
        if (this != &other) {
            ivs_paginator_free(handle_);
            handle_ = std::exchange(other.handle_, nullptr);
        }
        return *this;
    }
    Paginator(const Paginator &) = delete;
    Paginator &operator=(const Paginator &) = delete;
    ~Paginator() { ivs_paginator_free(handle_); }

    /// The next page (output JSON), or nothing when done. Throws ivs::Error.
    std::optional<std::string> next_page() { return next(&ivs_paginator_next_page); }
    /// The next item (JSON), or nothing when done. Throws ivs::Error.
    std::optional<std::string> next_item() { return next(&ivs_paginator_next_item); }

    /// After `MaxItems` cut the results: where to resume (`StartingToken`).
    std::optional<std::string> resume_token() const {
        const char *token = ivs_paginator_resume_token(handle_);
        return token ? std::optional<std::string>(token) : std::nullopt;
    }
    /// `"channels"`, `"streamKeys"`...
    std::string result_key() const { return ivs_paginator_result_key(handle_); }

    /// An input range over `next_page` or `next_item`; single pass.
    class Range {
    public:
        class iterator {
        public:
            using iterator_category = std::input_iterator_tag;
            using value_type = std::string;
            using difference_type = std::ptrdiff_t;
            using pointer = const std::string *;
            using reference = const std::string &;

            iterator() = default;
            iterator(Paginator *owner, bool items) : owner_(owner), items_(items) { advance(); }
            reference operator*() const { return *current_; }
            pointer operator->() const { return &*current_; }
            iterator &operator++() {
                advance();
                return *this;
            }
            void operator++(int) { advance(); }
            bool operator==(const iterator &other) const {
                return !current_.has_value() && !other.current_.has_value();
            }
            bool operator!=(const iterator &other) const { return !(*this == other); }

        private:
            void advance() { current_ = items_ ? owner_->next_item() : owner_->next_page(); }
            Paginator *owner_ = nullptr;
            bool items_ = false;
            std::optional<std::string> current_;
        };

        Range(Paginator *owner, bool items) : owner_(owner), items_(items) {}
        /// A range over a temporary paginator owns it (`for (auto &x : client.paginate(...).items())`).
        Range(std::unique_ptr<Paginator> owned, bool items)
            : owner_(owned.get()), owned_(std::move(owned)), items_(items) {}
        iterator begin() { return iterator(owner_, items_); }
        iterator end() { return iterator(); }

    private:
        Paginator *owner_;
        std::unique_ptr<Paginator> owned_;
        bool items_;
    };

    Range pages() & { return Range(this, false); }
    Range items() & { return Range(this, true); }
    Range pages() && { return Range(std::make_unique<Paginator>(std::move(*this)), false); }
    Range items() && { return Range(std::make_unique<Paginator>(std::move(*this)), true); }

    ivs_paginator *get() const noexcept { return handle_; }

private:
    friend class Client;
    explicit Paginator(ivs_paginator *handle) : handle_(handle) {}

    using NextFn = ivs_status (*)(ivs_paginator *, char **, ivs_error **);
    std::optional<std::string> next(NextFn fn) {
        char *out = nullptr;
        ivs_error *error = nullptr;
        ivs_status status = fn(handle_, &out, &error);
        detail::check(status, error);
        if (status == IVS_DONE) return std::nullopt;
        return detail::take(out);
    }

    ivs_paginator *handle_ = nullptr;
};

inline Paginator Client::paginate(const std::string &operation, const std::string &request_json,
                                  const std::optional<std::string> &pagination_config_json) const {
    ivs_paginator *handle = nullptr;
    ivs_error *error = nullptr;
    const ivs_status status = ivs_paginator_new(handle_, operation.c_str(), request_json.c_str(),
                                    detail::c_str_or_null(pagination_config_json), &handle, &error);
        detail::check(status, error);
    return Paginator(handle);
}

/// The in-process IVS emulator (`ivs_emulator`): stopped when destroyed.
class Emulator {
public:
    /// `config_json`: `{"host", "port", "region", "account_id", "access_key_id",
    /// "secret_access_key", "worker_threads"}`, all optional.
    explicit Emulator(const std::string &config_json = "{}") {
        ivs_error *error = nullptr;
        const ivs_status status = ivs_emulator_start(config_json.c_str(), &handle_, &error);
        detail::check(status, error);
    }
    Emulator(Emulator &&other) noexcept : handle_(std::exchange(other.handle_, nullptr)) {}
    Emulator &operator=(Emulator &&other) noexcept {
        if (this != &other) {
            ivs_emulator_stop(handle_);
            handle_ = std::exchange(other.handle_, nullptr);
        }
        return *this;
    }
    Emulator(const Emulator &) = delete;
    Emulator &operator=(const Emulator &) = delete;
    ~Emulator() { ivs_emulator_stop(handle_); }

    std::string url() const { return ivs_emulator_url(handle_); }
    /// A configuration for ivs::Client that talks to this emulator.
    std::string client_config() const { return ivs_emulator_client_config(handle_); }

    /// A broadcaster connects with `stream_key` (a stream key's value): `{"channelArn", "streamId"}`.
    std::string start_stream(const std::string &stream_key) const {
        char *result = nullptr;
        ivs_error *error = nullptr;
        const ivs_status status = ivs_emulator_start_stream(handle_, stream_key.c_str(), &result, &error);
        detail::check(status, error);
        return detail::take(result);
    }
    void stop_stream(const std::string &channel_arn) const {
        ivs_error *error = nullptr;
        const ivs_status status = ivs_emulator_stop_stream(handle_, channel_arn.c_str(), &error);
        detail::check(status, error);
    }
    /// `{"operation", "count", "status" | "delayMs" | "reset"}`.
    void inject_fault(const std::string &fault_json) const {
        ivs_error *error = nullptr;
        const ivs_status status = ivs_emulator_inject_fault(handle_, fault_json.c_str(), &error);
        detail::check(status, error);
    }
    void reset() const {
        ivs_error *error = nullptr;
        const ivs_status status = ivs_emulator_reset(handle_, &error);
        detail::check(status, error);
    }

    ivs_emulator *get() const noexcept { return handle_; }

private:
    ivs_emulator *handle_ = nullptr;
};

}  // namespace ivs

#endif  // LIBIVS_IVS_HPP
