#pragma once
// Shell completion: `shift completion SHELL` prints the script installed for that shell, and the
// hidden `shift __complete WORDS... CURRENT` answers the scripts and kubectl_complete-shift.
#include <string>
#include <vector>

namespace shift::cli {

// `shift completion bash|zsh|fish`: the script as installed (embedded at build time).
int printCompletionScript(const std::vector<std::string>& args);

// `shift __complete WORDS... CURRENT`: WORDS are the words after `shift` before the cursor,
// CURRENT the word being completed ("" for a new one). Prints the candidates one per line
// (`CANDIDATE<TAB>DESCRIPTION` for flags), then Cobra's directive line `:N` (2: no space after the
// candidate, 4: no file names, 0: the shell may fall back to file names), as kubectl reads it from
// plugins. Commands, flags and arguments come from the command table (command.hpp). Never fails,
// never writes to stderr, and gives up on the cluster after 2 seconds.
int complete(const std::vector<std::string>& words);

}  // namespace shift::cli
