# One place for the warning policy: the code must build without a single warning.
add_library(redline_warnings INTERFACE)
target_compile_options(redline_warnings INTERFACE -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wno-sign-conversion)
if(REDLINE_WERROR)
  target_compile_options(redline_warnings INTERFACE -Werror)
endif()
