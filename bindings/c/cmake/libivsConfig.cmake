# CMake package of libivs, installed by `make install-c` into <prefix>/lib/cmake/libivs.
#
#   find_package(libivs REQUIRED)
#   target_link_libraries(game PRIVATE libivs::ivs)          # libivs.so
#   target_link_libraries(tool PRIVATE libivs::ivs_static)   # libivs.a, when installed
#
# Headers: ivs.h (C) and ivs.hpp (C++17 RAII wrapper), both on the targets' include path.

get_filename_component(_libivs_prefix "${CMAKE_CURRENT_LIST_DIR}/../../.." ABSOLUTE)
set(libivs_INCLUDE_DIRS "${_libivs_prefix}/include")

if(NOT TARGET libivs::ivs)
  find_package(Threads REQUIRED)
  add_library(libivs::ivs SHARED IMPORTED)
  set_target_properties(libivs::ivs PROPERTIES
    IMPORTED_LOCATION "${_libivs_prefix}/lib/libivs.so"
    IMPORTED_SONAME "libivs.so.0"
    INTERFACE_INCLUDE_DIRECTORIES "${libivs_INCLUDE_DIRS}"
    INTERFACE_LINK_LIBRARIES "Threads::Threads")
  if(EXISTS "${_libivs_prefix}/lib/libivs.a")
    add_library(libivs::ivs_static STATIC IMPORTED)
    set_target_properties(libivs::ivs_static PROPERTIES
      IMPORTED_LOCATION "${_libivs_prefix}/lib/libivs.a"
      INTERFACE_INCLUDE_DIRECTORIES "${libivs_INCLUDE_DIRS}"
      INTERFACE_LINK_LIBRARIES "Threads::Threads;${CMAKE_DL_LIBS};m")
  endif()
endif()

set(libivs_LIBRARIES libivs::ivs)
set(libivs_FOUND TRUE)
unset(_libivs_prefix)
