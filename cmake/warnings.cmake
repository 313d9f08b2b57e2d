# Warnings as an INTERFACE target: linked by our code, never applied to third-party headers.
add_library(conform_warnings INTERFACE)
target_compile_options(conform_warnings INTERFACE -Wall -Wextra -Wpedantic -Wshadow
                       -Wnon-virtual-dtor -Wold-style-cast -Wcast-align -Wunused)
if(CONFORM_WARNINGS_AS_ERRORS)
  target_compile_options(conform_warnings INTERFACE -Werror)
endif()
