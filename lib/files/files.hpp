#pragma once
// Reading inputs and writing files atomically.
#include <string>
#include <vector>

#include "base/result.hpp"

namespace shift::files {

// The whole file, or standard input for "-".
Result<std::string> readInput(const std::string& path);

// The manifests of a directory (*.yaml, *.yml, *.json, sorted), with `recursive` those of its
// subdirectories too (as kubectl's -R; symlinked subdirectories are not followed), or the path
// itself when it is not a directory.
Result<std::vector<std::string>> manifestFiles(const std::string& path, bool recursive = false);
// Those of several -f in the order given, as kubectl reads repeated -f; a file named twice is read once.
Result<std::vector<std::string>> manifestFiles(const std::vector<std::string>& paths, bool recursive);
// "vs.yaml, dr.yaml": several -f in messages.
std::string pathsText(const std::vector<std::string>& paths);

// The file a path names once every symlink in the chain is followed (a relative link is read
// from the link's directory); the path itself when it is no symlink.
Result<std::string> resolveSymlinks(const std::string& path);

// Replaces a file's content without ever leaving it half-written: writes a temporary file
// beside it with the same owner, group and mode, syncs it, then renames it over. A symlink
// stays a symlink: the file it points to is replaced.
Status writeAtomically(const std::string& path, const std::string& content);

// The outcome of a conditional rewrite.
struct WriteOutcome {
    bool conflict = false;  // the file no longer holds `expected`: nothing was written
    std::string written;    // the file actually replaced (a symlink's target), when written
};

// Replaces the file's content with `content` only if it still holds `expected` (what the caller
// read and planned on), atomically, so that concurrent writers never lose an update: a changed
// file is a conflict to re-read and re-plan, never overwritten. A temporary file a killed writer
// left beside it (".NAME.shift-XXXXXX") is removed under the lock.
Result<WriteOutcome> writeIfUnchanged(const std::string& path, const std::string& expected,
                                      const std::string& content);

}  // namespace shift::files
