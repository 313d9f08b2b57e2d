# Every dependency comes from a Debian package; a failure names the package to install
# (a macro, not a function: find_package results must reach the caller's scope)
# (scripts/install-deps.sh installs them all).
macro(conform_require_package name debian_package)
  find_package(${name} ${ARGN} QUIET)
  if(NOT ${name}_FOUND)
    message(FATAL_ERROR "${name} not found: install the Debian package '${debian_package}' "
                        "(or run scripts/install-deps.sh)")
  endif()
endmacro()

conform_require_package(nlohmann_json nlohmann-json3-dev 3.10)
conform_require_package(fmt libfmt-dev)
conform_require_package(CURL libcurl4-openssl-dev)
conform_require_package(OpenSSL libssl-dev)
conform_require_package(valijson libvalijson-dev)
conform_require_package(Threads libc6-dev)
conform_require_package(PkgConfig pkg-config)

pkg_check_modules(MICROHTTPD QUIET IMPORTED_TARGET libmicrohttpd)
if(NOT MICROHTTPD_FOUND)
  message(FATAL_ERROR "libmicrohttpd not found: install the Debian package 'libmicrohttpd-dev' "
                      "(or run scripts/install-deps.sh)")
endif()
