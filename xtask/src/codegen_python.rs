//! Generated files of the python face. Each entry is (path relative to the repo root, content).
//!
//! - `python/libivs/_operations.py`: the 46 operation methods (sync and asyncio mixins) and the
//!   paginator table, dispatched by wire name to the native client at run time.
//! - `python/libivs/_errors.py`: one `ClientError` subclass per modeled IVS error.
//! - `python/libivs/type_defs.pyi`: a `TypedDict` per structure, a `Literal` per enum.
//! - `python/libivs/client.pyi`: the typed clients, paginators and constructors.

use std::fmt::Write as _;

use crate::docs::{http_line, operation_doc, wrap};
use crate::model::{generated_header, members, required, Model, Operation};

pub fn outputs(model: &Model) -> Vec<(String, String)> {
    vec![
        ("python/libivs/_operations.py".into(), operations_py(model)),
        ("python/libivs/_errors.py".into(), errors_py(model)),
        ("python/libivs/type_defs.pyi".into(), type_defs_pyi(model)),
        ("python/libivs/client.pyi".into(), client_pyi(model)),
    ]
}

fn operations_py(model: &Model) -> String {
    let ops = &model.operations;
    let mut out = generated_header("#");
    out.push_str("\"\"\"The IVS operations as client methods, generated from the model.\n\nEach method sends its keyword arguments (the model's member names) to the native client,\nwhich validates them against the model, calls IVS and answers boto3's response dict.\n\"\"\"\n\n");
    out.push_str(
        "from __future__ import annotations\n\nTYPE_CHECKING = False\nif TYPE_CHECKING:\n    from typing import Any, Callable, Coroutine, Dict\n\n#: boto3 method name -> IVS operation name, for all operations.\nOPERATIONS: Dict[str, str] = {\n",
    );
    for op in ops {
        let _ = writeln!(out, "    {:?}: {:?},", op.snake, op.name);
    }
    out.push_str("}\n\n#: The operations that have paginators (boto3 method name -> IVS operation name).\nPAGINATORS: Dict[str, str] = {\n");
    for op in model.paginated() {
        let _ = writeln!(out, "    {:?}: {:?},", op.snake, op.name);
    }
    out.push_str("}\n\n\nclass SyncOperations:\n    \"\"\"The blocking methods; `self._call` is the native client's `call`.\"\"\"\n\n    __slots__ = ()\n    _call: Callable[[str, Dict[str, Any]], Any]\n");
    for op in ops {
        let _ = write!(
            out,
            "\n    def {snake}(self, **kwargs: Any) -> Any:\n{doc}        return self._call({name:?}, kwargs)\n",
            snake = op.snake,
            name = op.name,
            doc = docstring(model, op, false),
        );
    }
    out.push_str("\n\nclass AsyncOperations:\n    \"\"\"The asyncio methods; `self._acall` awaits the native call on the loop's bridge.\"\"\"\n\n    __slots__ = ()\n    _acall: Callable[[str, Dict[str, Any]], Coroutine[Any, Any, Any]]\n");
    for op in ops {
        let _ = write!(
            out,
            "\n    async def {snake}(self, **kwargs: Any) -> Any:\n{doc}        return await self._acall({name:?}, kwargs)\n",
            snake = op.snake,
            name = op.name,
            doc = docstring(model, op, true),
        );
    }
    out
}

/// A method's docstring (indented for a class body, ending in a newline): the operation's
/// documentation, each parameter's type, whether it is required, its constraints and enum
/// values, the return type, the errors and the AWS API Reference page.
fn docstring(model: &Model, op: &Operation, asynchronous: bool) -> String {
    let doc = operation_doc(model, model.docs, op);
    let mut lines: Vec<String> = Vec::new();
    for (i, paragraph) in doc.paragraphs.iter().enumerate() {
        if i > 0 {
            lines.push(String::new());
        }
        lines.extend(wrap(paragraph, 88));
    }
    if lines.is_empty() {
        lines.push(format!("IVS {}.", op.name));
    }
    lines.push(String::new());
    let awaited = if asynchronous { ", awaited" } else { "" };
    lines.push(format!("{}{awaited}.", http_line(op, "``")));
    lines.push(String::new());
    if doc.params.is_empty() {
        lines.push("Takes no parameters.".into());
    } else {
        lines.push("Parameters (keyword arguments):".into());
        for param in &doc.params {
            let head = format!("{} ({}):", param.name, param.summary());
            let mut text = wrap(&format!("{head} {}", param.text), 84);
            for (i, line) in text.iter_mut().enumerate() {
                *line = format!("{}{line}", if i == 0 { "    " } else { "        " });
            }
            lines.extend(text);
        }
    }
    lines.push(String::new());
    lines.push("Returns:".into());
    lines.push(format!(
        "    {} (a dict, with ``ResponseMetadata``).",
        output_type(op)
    ));
    lines.push(String::new());
    if !doc.errors.is_empty() {
        lines.push("Raises:".into());
        for line in wrap(&doc.errors.join(", "), 84) {
            lines.push(format!("    {line}"));
        }
        lines.push("    (each ``libivs.exceptions.<Code>``, a ``libivs.ClientError``); ParamValidationError".into());
        lines.push("    before anything is sent.".into());
        lines.push(String::new());
    }
    lines.push(format!("AWS API Reference: {}", doc.url));
    let mut out = String::from("        r\"\"\"");
    for (i, line) in lines.iter().enumerate() {
        let line = line.replace("\"\"\"", "\"\" \"");
        if i == 0 {
            out.push_str(&line);
        } else if line.is_empty() {
            out.push('\n');
        } else {
            out.push_str("\n        ");
            out.push_str(&line);
        }
    }
    out.push_str("\n        \"\"\"\n");
    out
}

fn errors_py(model: &Model) -> String {
    let mut out = generated_header("#");
    out.push_str("\"\"\"One `ClientError` subclass per modeled IVS error, generated from the model.\"\"\"\n\nfrom __future__ import annotations\n\nfrom ._base import ClientError\n\nTYPE_CHECKING = False\nif TYPE_CHECKING:\n    from typing import Dict, Type\n\n__all__ = [\n");
    let errors = model.errors();
    for error in &errors {
        let _ = writeln!(out, "    {:?},", error.name);
    }
    out.push_str("]\n");
    for error in &errors {
        let (name, status) = (error.name, error.status);
        let _ = write!(
            out,
            "\n\nclass {name}(ClientError):\n    \"\"\"IVS's {name} (HTTP {status}).\"\"\"\n\n    __module__ = \"libivs.exceptions\"\n"
        );
    }
    out.push_str("\n\n#: Every modeled IVS error class by code.\nSERVICE_ERRORS: Dict[str, Type[ClientError]] = {\n");
    for error in &errors {
        let _ = writeln!(out, "    {0:?}: {0},", error.name);
    }
    out.push_str("}\n");
    out
}

/// The Python type of a member of shape `name` inside a TypedDict.
fn py_type(model: &Model, name: &str, input: bool) -> String {
    let spec = model.shape(name);
    match spec["type"].as_str().unwrap_or("") {
        "string" if spec.get("enum").is_some() => format!("{name}Type"),
        "string" => "str".into(),
        "integer" | "long" => "int".into(),
        "boolean" => "bool".into(),
        "double" | "float" => "float".into(),
        "timestamp" if input => "Union[datetime, str]".into(),
        "timestamp" => "datetime".into(),
        "list" => {
            let member = py_type(model, spec["member"]["shape"].as_str().unwrap(), input);
            if input {
                format!("Sequence[{member}]")
            } else {
                format!("List[{member}]")
            }
        }
        "map" => {
            let value = py_type(model, spec["value"]["shape"].as_str().unwrap(), input);
            if input {
                format!("Mapping[str, {value}]")
            } else {
                format!("Dict[str, {value}]")
            }
        }
        "structure" => format!("{name}TypeDef"),
        other => panic!("shape {name} has an unexpected type {other}"),
    }
}

fn output_shapes<'a>(model: &Model<'a>) -> std::collections::BTreeSet<&'a str> {
    model.operations.iter().filter_map(|op| op.output).collect()
}

fn type_defs_pyi(model: &Model) -> String {
    let mut out = generated_header("#");
    out.push_str("\"\"\"Typed shapes of IVS requests and responses (as mypy-boto3-ivs's type_defs).\"\"\"\n\nfrom datetime import datetime\nfrom typing import Any, Dict, List, Mapping, Sequence, Union\n\nfrom typing_extensions import Literal, NotRequired, TypedDict\n\n");
    let outputs = output_shapes(model);
    let all = model.shapes;
    let mut names: Vec<&String> = all.keys().collect();
    names.sort();
    for name in &names {
        let spec = &all[name.as_str()];
        if spec["type"] == "string" {
            if let Some(values) = spec["enum"].as_array() {
                let values: Vec<String> = values
                    .iter()
                    .map(|v| format!("{:?}", v.as_str().unwrap()))
                    .collect();
                let _ = writeln!(out, "{name}Type = Literal[{}]", values.join(", "));
            }
        }
    }
    out.push_str("\n\nclass ResponseMetadataTypeDef(TypedDict):\n    RequestId: str\n    HTTPStatusCode: int\n    HTTPHeaders: Dict[str, str]\n    RetryAttempts: int\n\n\nclass PaginatorConfigTypeDef(TypedDict, total=False):\n    MaxItems: int\n    PageSize: int\n    StartingToken: str\n");
    for name in &names {
        let spec = &all[name.as_str()];
        if spec["type"] != "structure" || spec.get("exception").is_some() {
            continue;
        }
        let is_output = outputs.contains(name.as_str());
        let needed = required(spec);
        let _ = write!(out, "\n\nclass {name}TypeDef(TypedDict):\n");
        let fields = members(spec);
        for (member, member_spec) in &fields {
            let ty = py_type(model, member_spec["shape"].as_str().unwrap(), false);
            if needed.contains(&member.as_str()) {
                let _ = writeln!(out, "    {member}: {ty}");
            } else {
                let _ = writeln!(out, "    {member}: NotRequired[{ty}]");
            }
        }
        if is_output {
            out.push_str("    ResponseMetadata: ResponseMetadataTypeDef\n");
        } else if fields.is_empty() {
            out.push_str("    pass\n");
        }
    }
    out.push_str("\n\nclass EmptyResponseMetadataTypeDef(TypedDict):\n    ResponseMetadata: ResponseMetadataTypeDef\n");
    out
}

/// `, *, arn: str, name: str = ...` for an input shape (None: no input).
fn params(model: &Model, input: Option<&str>, skip: &[&str]) -> String {
    let Some(input) = input else {
        return String::new();
    };
    let spec = model.shape(input);
    let needed = required(spec);
    let mut required_params = Vec::new();
    let mut optional_params = Vec::new();
    for (member, member_spec) in members(spec) {
        if skip.contains(&member.as_str()) {
            continue;
        }
        let ty = py_type(model, member_spec["shape"].as_str().unwrap(), true);
        if needed.contains(&member.as_str()) {
            required_params.push(format!("{member}: {ty}"));
        } else {
            optional_params.push(format!("{member}: {ty} = ..."));
        }
    }
    let all: Vec<String> = required_params.into_iter().chain(optional_params).collect();
    if all.is_empty() {
        String::new()
    } else {
        format!(", *, {}", all.join(", "))
    }
}

fn output_type(op: &Operation) -> String {
    match op.output {
        Some(shape) => format!("{shape}TypeDef"),
        None => "EmptyResponseMetadataTypeDef".into(),
    }
}

const CLIENT_PYI_HEAD: &str = r#""""Typed IVS clients (the runtime is client.py; these stubs are generated from the model)."""

from datetime import datetime
from typing import (
    Any,
    AsyncIterator,
    Dict,
    Iterator,
    List,
    Mapping,
    Optional,
    Sequence,
    Type,
    Union,
    overload,
)

from typing_extensions import Literal, Self

from . import _errors
from . import exceptions as _exceptions
from .config import Config
from .exceptions import ClientError
from .type_defs import *  # noqa: F403

__all__ = ["IVSClient", "AsyncIVSClient", "client", "async_client", "Session"]


class ClientMeta:
    region_name: str
    endpoint_url: str
    config: Config
    service_name: str
    partition: str
    @property
    def method_to_api_mapping(self) -> Dict[str, str]: ...


def client(
    service_name: Literal["ivs"],
    region_name: Optional[str] = ...,
    api_version: Optional[str] = ...,
    use_ssl: Optional[bool] = ...,
    verify: Union[bool, str, None] = ...,
    endpoint_url: Optional[str] = ...,
    aws_access_key_id: Optional[str] = ...,
    aws_secret_access_key: Optional[str] = ...,
    aws_session_token: Optional[str] = ...,
    config: Optional[Config] = ...,
    aws_account_id: Optional[str] = ...,
) -> "IVSClient": ...


def async_client(
    service_name: Literal["ivs"],
    region_name: Optional[str] = ...,
    api_version: Optional[str] = ...,
    use_ssl: Optional[bool] = ...,
    verify: Union[bool, str, None] = ...,
    endpoint_url: Optional[str] = ...,
    aws_access_key_id: Optional[str] = ...,
    aws_secret_access_key: Optional[str] = ...,
    aws_session_token: Optional[str] = ...,
    config: Optional[Config] = ...,
    aws_account_id: Optional[str] = ...,
) -> "AsyncIVSClient": ...


class Session:
    profile_name: Optional[str]
    region_name: Optional[str]
    def __init__(
        self,
        aws_access_key_id: Optional[str] = ...,
        aws_secret_access_key: Optional[str] = ...,
        aws_session_token: Optional[str] = ...,
        region_name: Optional[str] = ...,
        profile_name: Optional[str] = ...,
    ) -> None: ...
    def client(self, service_name: Literal["ivs"], **kwargs: Any) -> "IVSClient": ...
    def async_client(self, service_name: Literal["ivs"], **kwargs: Any) -> "AsyncIVSClient": ...


class _BaseClient:
    meta: ClientMeta
    @property
    def exceptions(self) -> "Exceptions": ...
    def can_paginate(self, operation_name: str) -> bool: ...
    def get_waiter(self, waiter_name: str) -> Any: ...
    @property
    def waiter_names(self) -> List[str]: ...
    def generate_presigned_url(
        self,
        ClientMethod: str,
        Params: Optional[Mapping[str, Any]] = ...,
        ExpiresIn: int = ...,
        HttpMethod: Optional[str] = ...,
    ) -> str: ...
"#;

fn client_pyi(model: &Model) -> String {
    let ops = &model.operations;
    let mut out = generated_header("#");
    out.push_str(CLIENT_PYI_HEAD);
    // client.exceptions
    out.push_str("\n\nclass Exceptions:\n    ClientError: Type[_exceptions.ClientError]\n");
    for error in model.errors() {
        let _ = writeln!(out, "    {0}: Type[_errors.{0}]", error.name);
    }
    out.push_str(
        "    def from_code(self, error_code: str) -> Type[_exceptions.ClientError]: ...\n",
    );

    for (asynchronous, class) in [(false, "IVSClient"), (true, "AsyncIVSClient")] {
        let _ = write!(out, "\n\nclass {class}(_BaseClient):\n");
        if asynchronous {
            out.push_str("    \"\"\"An asyncio IVS client (aioboto3's shape).\"\"\"\n\n");
        } else {
            out.push_str("    \"\"\"A blocking IVS client (boto3's shape).\"\"\"\n\n");
        }
        for op in ops {
            let args = params(model, op.input, &[]);
            let ret = output_type(op);
            let kw = if asynchronous { "async def" } else { "def" };
            let _ = write!(
                out,
                "    {kw} {}(self{args}) -> {ret}:\n{}        ...\n",
                op.snake,
                docstring(model, op, asynchronous)
            );
        }
        let prefix = if asynchronous { "Async" } else { "" };
        for op in model.paginated() {
            let _ = write!(
                out,
                "    @overload\n    def get_paginator(self, operation_name: Literal[{:?}]) -> \"{prefix}{}Paginator\": ...\n",
                op.snake, op.name
            );
        }
        // No `str` fallback: mypy rejects get_paginator("get_channel") as boto3-stubs does.
        if asynchronous {
            out.push_str("    async def close(self) -> None: ...\n    async def __aenter__(self) -> Self: ...\n    async def __aexit__(self, *exc_info: object) -> None: ...\n");
        } else {
            out.push_str("    def close(self) -> None: ...\n    def __enter__(self) -> Self: ...\n    def __exit__(self, *exc_info: object) -> None: ...\n");
        }
    }

    for op in model.paginated() {
        let paginator = op.paginator.expect("paginated");
        let input_token = paginator["input_token"].as_str().unwrap();
        let limit_key = paginator["limit_key"].as_str().unwrap();
        let mut args = params(model, op.input, &[input_token, limit_key]);
        if args.is_empty() {
            args.push_str(", *");
        }
        let page = output_type(op);
        let item = py_type(model, model.item_shape(op), false);
        let name = op.name;
        let _ = write!(
            out,
            "\n\nclass {name}PageIterator:\n    def __iter__(self) -> Iterator[{page}]: ...\n    def items(self) -> Iterator[{item}]: ...\n    def build_full_result(self) -> Dict[str, Any]: ...\n    def search(self, expression: str) -> Iterator[Any]: ...\n    @property\n    def resume_token(self) -> Optional[str]: ...\n\n\nclass {name}Paginator:\n    def paginate(self{args}, PaginationConfig: PaginatorConfigTypeDef = ...) -> {name}PageIterator: ...\n"
        );
        let _ = write!(
            out,
            "\n\nclass Async{name}PageIterator:\n    def __aiter__(self) -> AsyncIterator[{page}]: ...\n    def items(self) -> AsyncIterator[{item}]: ...\n    async def build_full_result(self) -> Dict[str, Any]: ...\n    def search(self, expression: str) -> AsyncIterator[Any]: ...\n    @property\n    def resume_token(self) -> Optional[str]: ...\n\n\nclass Async{name}Paginator:\n    def paginate(self{args}, PaginationConfig: PaginatorConfigTypeDef = ...) -> Async{name}PageIterator: ...\n"
        );
    }
    out
}
