# Run as `cmake -DOUT=header -DBASH=... -DZSH=... -DFISH=... -P embed_completions.cmake`:
# writes the completion scripts into a header as raw string literals, so that
# `shift completion SHELL` prints byte for byte the file that is installed.
set(text "// Generated from completions/ by cmake/embed_completions.cmake; do not edit.\n#pragma once\n#include <string_view>\n\nnamespace shift::cli::completion {\n")
foreach(shell BASH ZSH FISH)
  file(READ "${${shell}}" script)
  string(FIND "${script}" ")shift_script\"" clash)
  if(NOT clash EQUAL -1)
    message(FATAL_ERROR "${${shell}} contains the raw string delimiter )shift_script\"")
  endif()
  string(SUBSTRING ${shell} 0 1 first)
  string(SUBSTRING ${shell} 1 -1 rest)
  string(TOLOWER "${rest}" rest)
  string(APPEND text "inline constexpr std::string_view k${first}${rest} = R\"shift_script(${script})shift_script\";\n")
endforeach()
string(APPEND text "}  // namespace shift::cli::completion\n")
# Only rewrite on change, so the binary does not relink for nothing.
if(EXISTS "${OUT}")
  file(READ "${OUT}" old)
endif()
if(NOT old STREQUAL text)
  file(WRITE "${OUT}" "${text}")
endif()
