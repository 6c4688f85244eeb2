// Rewriting manifests in place: through symlinks to the file they name, keeping
// owner, group and mode, atomically (a temporary file renamed over), and, for
// writeIfUnchanged, under a lock so that concurrent writers never lose an update.
#include <fcntl.h>
#include <fmt/format.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstring>
#include <filesystem>

#include "files/files.hpp"

namespace shift::files {

namespace fs = std::filesystem;

namespace {

// Closes a descriptor on every path out.
struct Fd {
    int fd = -1;
    explicit Fd(int f) : fd(f) {}
    Fd(const Fd&) = delete;
    Fd& operator=(const Fd&) = delete;
    ~Fd() {
        if (fd >= 0) ::close(fd);
    }
};

Error ioError(const std::string& what, const std::string& path, int err, const std::string& fix) {
    return fail(fmt::format("cannot {} {}: {}; {}", what, path, std::strerror(err), fix));
}

Status writeAll(int fd, const std::string& content) {
    for (std::size_t done = 0; done < content.size();) {
        auto n = ::write(fd, content.data() + done, content.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) return fail(std::strerror(errno));
        done += static_cast<std::size_t>(n);
    }
    return okStatus();
}

// The temporary file's name pattern beside `target`: ".NAME.shift-XXXXXX" (mkstemp's six).
std::string tempPattern(const std::string& target) {
    fs::path p(target);
    return (p.parent_path() / ("." + p.filename().string() + ".shift-XXXXXX")).string();
}

// Removes the temporary files a killed writer of `target` left behind (SIGKILL between mkstemp and
// rename). Called under the target's lock: a live writer makes its temporary file only while it
// holds that lock, so any such file found now belongs to a writer that died.
void removeStaleTemps(const std::string& target) {
    auto pattern = fs::path(tempPattern(target)).filename().string();
    auto prefix = pattern.substr(0, pattern.size() - 6);
    auto dir = fs::path(target).parent_path();
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(dir.empty() ? fs::path(".") : dir, ec)) {
        auto name = entry.path().filename().string();
        if (name.size() == pattern.size() && name.rfind(prefix, 0) == 0 && entry.is_regular_file(ec))
            ::unlink(entry.path().c_str());
    }
}

// Writes `content` to a temporary file beside `target` with the owner, group and mode in
// `like` (when given), synced; returns its path. A file shift cannot give back to its owner
// is refused rather than silently handed to the user running shift.
Result<std::string> writeTemp(const std::string& target, const std::string& content,
                              const struct stat* like) {
    std::string temp = tempPattern(target);
    int raw = ::mkstemp(temp.data());
    if (raw < 0) return ioError("write beside", target, errno, "check the directory's permissions");
    Fd fd(raw);
    auto failWith = [&](const std::string& message) {
        ::unlink(temp.c_str());
        return fail(message);
    };
    if (auto st = writeAll(fd.fd, content); !st) {
        return failWith(
            fmt::format("cannot write {}: {}; {} is unchanged", temp, st.error().message, target));
    }
    mode_t mode = like ? like->st_mode & 07777 : 0644;
    struct stat made {};
    bool owned =
        !like || (::fstat(fd.fd, &made) == 0 && made.st_uid == like->st_uid && made.st_gid == like->st_gid);
    if (!owned && ::fchown(fd.fd, like->st_uid, like->st_gid) != 0) {
        return failWith(fmt::format(
            "cannot keep the owner {}:{} of {}: {}; nothing written; run as its owner or root, or edit it "
            "without --in-place",
            like->st_uid, like->st_gid, target, std::strerror(errno)));
    }
    if (::fchmod(fd.fd, mode) != 0 || ::fsync(fd.fd) != 0) {
        return failWith(
            fmt::format("cannot write {}: {}; {} is unchanged", temp, std::strerror(errno), target));
    }
    int closed = ::close(fd.fd);
    fd.fd = -1;
    if (closed != 0) {
        return failWith(
            fmt::format("cannot write {}: {}; {} is unchanged", temp, std::strerror(errno), target));
    }
    return temp;
}

Status renameOver(const std::string& temp, const std::string& target) {
    if (::rename(temp.c_str(), target.c_str()) != 0) {
        int err = errno;
        ::unlink(temp.c_str());
        return ioError("replace", target, err, "it is unchanged");
    }
    // The rename itself lasts once the directory is synced.
    auto dir = fs::path(target).parent_path().string();
    Fd d(::open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (d.fd >= 0) ::fsync(d.fd);
    return okStatus();
}

Result<std::string> readFd(int fd, const std::string& path) {
    std::string out;
    char buf[65536];
    for (;;) {
        auto n = ::read(fd, buf, sizeof buf);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) return ioError("read", path, errno, "check the file");
        if (n == 0) return out;
        out.append(buf, static_cast<std::size_t>(n));
    }
}

}  // namespace

Result<std::string> resolveSymlinks(const std::string& path) {
    std::string at = path;
    // As the kernel does (MAXSYMLINKS): a longer chain is a loop.
    for (int hops = 0; hops < 40; ++hops) {
        struct stat st {};
        if (::lstat(at.c_str(), &st) != 0 || !S_ISLNK(st.st_mode)) return at;
        char buf[PATH_MAX];
        auto n = ::readlink(at.c_str(), buf, sizeof buf - 1);
        if (n < 0) return ioError("follow the symlink", at, errno, "check the link");
        fs::path link(std::string(buf, static_cast<std::size_t>(n)));
        // A relative link is read from the link's own directory.
        at = link.is_absolute() ? link.string()
                                : (fs::path(at).parent_path() / link).lexically_normal().string();
    }
    return fail(fmt::format("cannot follow the symlink {}: too many levels (a loop?); fix the link", path));
}

Status writeAtomically(const std::string& path, const std::string& content) {
    auto target = resolveSymlinks(path);
    if (!target) return target.error();
    struct stat st {};
    bool exists = ::stat(target->c_str(), &st) == 0;
    auto temp = writeTemp(*target, content, exists ? &st : nullptr);
    if (!temp) return temp.error();
    return renameOver(*temp, *target);
}

// Lock, compare, write, rename, unlock. The lock is taken on the file the path names; a
// writer that renamed over it meanwhile has replaced that inode, so after locking we check
// that the path still names the locked file, and start again on the new one if not.
Result<WriteOutcome> writeIfUnchanged(const std::string& path, const std::string& expected,
                                      const std::string& content) {
    auto target = resolveSymlinks(path);
    if (!target) return target.error();
    for (;;) {
        Fd fd(::open(target->c_str(), O_RDONLY | O_CLOEXEC));
        if (fd.fd < 0) return ioError("open", *target, errno, "check the path given to -f");
        while (::flock(fd.fd, LOCK_EX) != 0) {
            if (errno != EINTR) return ioError("lock", *target, errno, "nothing was written");
        }
        struct stat locked {
        }, named{};
        if (::fstat(fd.fd, &locked) != 0) return ioError("stat", *target, errno, "nothing was written");
        if (::stat(target->c_str(), &named) != 0 || named.st_ino != locked.st_ino ||
            named.st_dev != locked.st_dev)
            continue;  // replaced while we waited: lock the new file
        auto now = readFd(fd.fd, *target);
        if (!now) return now.error();
        if (*now != expected) return WriteOutcome{true, {}};
        removeStaleTemps(*target);
        auto temp = writeTemp(*target, content, &locked);
        if (!temp) return temp.error();
        if (auto st = renameOver(*temp, *target); !st) return st.error();
        return WriteOutcome{false, *target};
    }
}

}  // namespace shift::files
