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

Result<std::vector<std::string>> manifestFiles(const std::string& path) {
    std::error_code ec;
    if (path == "-" || !fs::is_directory(path, ec)) return std::vector<std::string>{path};
    std::vector<std::string> files;
    for (const auto& entry : fs::directory_iterator(path, ec)) {
        auto ext = entry.path().extension().string();
        if (entry.is_regular_file() && (ext == ".yaml" || ext == ".yml" || ext == ".json")) {
            files.push_back(entry.path().string());
        }
    }
    if (ec) return fail(fmt::format("cannot list {}: {}; check the path given to -f", path, ec.message()));
    std::sort(files.begin(), files.end());
    if (files.empty()) {
        return fail(fmt::format("{} holds no .yaml, .yml or .json files; point -f at the manifests", path));
    }
    return files;
}

Status writeAtomically(const std::string& path, const std::string& content) {
    struct stat st {};
    mode_t mode = 0644;
    if (::stat(path.c_str(), &st) == 0) mode = st.st_mode & 07777;
    fs::path target(path);
    std::string temp = (target.parent_path() / ("." + target.filename().string() + ".shift-XXXXXX")).string();
    int fd = ::mkstemp(temp.data());
    if (fd < 0) {
        return fail(fmt::format("cannot write beside {}: {}; check the directory's permissions", path,
                                std::strerror(errno)));
    }
    auto failWith = [&](const char* what) {
        int err = errno;
        ::close(fd);
        ::unlink(temp.c_str());
        return fail(fmt::format("cannot {} {}: {}; {} is unchanged", what, temp, std::strerror(err), path));
    };
    for (std::size_t done = 0; done < content.size();) {
        auto n = ::write(fd, content.data() + done, content.size() - done);
        if (n < 0) {
            if (errno == EINTR) continue;
            return failWith("write");
        }
        done += static_cast<std::size_t>(n);
    }
    if (::fchmod(fd, mode) != 0) return failWith("set the mode of");
    if (::fsync(fd) != 0) return failWith("sync");
    if (::close(fd) != 0) {
        ::unlink(temp.c_str());
        return fail(fmt::format("cannot write {}: {}; {} is unchanged", temp, std::strerror(errno), path));
    }
    if (::rename(temp.c_str(), path.c_str()) != 0) {
        int err = errno;
        ::unlink(temp.c_str());
        return fail(fmt::format("cannot replace {}: {}; it is unchanged", path, std::strerror(err)));
    }
    return okStatus();
}

// TODO(in-place safety): lock the file between the comparison and the rename.
Result<WriteOutcome> writeIfUnchanged(const std::string& path, const std::string& expected,
                                      const std::string& content) {
    auto now = readInput(path);
    if (!now) return now.error();
    if (*now != expected) return WriteOutcome{true, {}};
    if (auto st = writeAtomically(path, content); !st) return st.error();
    return WriteOutcome{false, path};
}

}  // namespace shift::files
