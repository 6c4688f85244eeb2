#pragma once
// Reading inputs and writing files atomically.
#include <string>
#include <vector>

#include "base/result.hpp"

namespace shift::cli {

// The whole file, or standard input for "-".
Result<std::string> readInput(const std::string& path);

// The manifests of a directory (*.yaml, *.yml, *.json, not recursive, sorted),
// or the path itself when it is not a directory.
Result<std::vector<std::string>> manifestFiles(const std::string& path);

// Replaces a file's content without ever leaving it half-written: writes a
// temporary file beside it with the same mode, syncs it, then renames it over.
Status writeAtomically(const std::string& path, const std::string& content);

}  // namespace shift::cli
