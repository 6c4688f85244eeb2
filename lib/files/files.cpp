#include "files/files.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>

namespace shift::files {

namespace fs = std::filesystem;

Result<std::string> readInput(const std::string& path) {
    if (path == "-") {
        std::ostringstream s;
        s << std::cin.rdbuf();
        return s.str();
    }
    std::ifstream in(path, std::ios::binary);
    if (!in)
        return fail(
            fmt::format("cannot read {}: {}; check the path given to -f", path, std::strerror(errno)));
    return std::string(std::istreambuf_iterator<char>(in), {});
}

namespace {

bool isManifest(const fs::directory_entry& entry) {
    auto ext = entry.path().extension().string();
    std::error_code ec;
    return (ext == ".yaml" || ext == ".yml" || ext == ".json") && entry.is_regular_file(ec);
}

// Whether a subdirectory (not followed through symlinks) holds a manifest: for the hint to use -R.
bool manifestsBelow(const std::string& path) {
    std::error_code ec;
    for (auto it = fs::recursive_directory_iterator(path, ec);
         !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
        if (it.depth() > 0 && isManifest(*it)) return true;
    }
    return false;
}

}  // namespace

// As kubectl's -R: the directory given is read even through a symlink, and so is each symlinked
// manifest inside, but a symlinked directory is not descended into (Go's filepath.Walk does not).
Result<std::vector<std::string>> manifestFiles(const std::string& path, bool recursive) {
    std::error_code ec;
    if (path == "-" || !fs::is_directory(path, ec)) return std::vector<std::string>{path};
    std::vector<std::string> files;
    if (recursive) {
        for (auto it = fs::recursive_directory_iterator(path, ec);
             !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
            if (isManifest(*it)) files.push_back(it->path().string());
        }
    } else {
        for (const auto& entry : fs::directory_iterator(path, ec)) {
            if (isManifest(entry)) files.push_back(entry.path().string());
        }
    }
    if (ec) return fail(fmt::format("cannot list {}: {}; check the path given to -f", path, ec.message()));
    std::sort(files.begin(), files.end());
    if (files.empty() && !recursive && manifestsBelow(path)) {
        return fail(fmt::format(
            "{} holds no .yaml, .yml or .json files, but its subdirectories do; add -R to read them", path));
    }
    if (files.empty()) {
        return fail(fmt::format("{} holds no .yaml, .yml or .json files; point -f at the manifests", path));
    }
    return files;
}

Result<std::vector<std::string>> manifestFiles(const std::vector<std::string>& paths, bool recursive) {
    std::vector<std::string> out;
    for (const auto& path : paths) {
        auto files = manifestFiles(path, recursive);
        if (!files) return files.error();
        for (auto& f : *files) {
            if (std::find(out.begin(), out.end(), f) == out.end()) out.push_back(std::move(f));
        }
    }
    return out;
}

std::string pathsText(const std::vector<std::string>& paths) {
    std::string out;
    for (const auto& p : paths) out += (out.empty() ? "" : ", ") + p;
    return out;
}

}  // namespace shift::files
