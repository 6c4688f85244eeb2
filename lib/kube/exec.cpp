#include "kube/exec.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <nlohmann/json.hpp>

#include "kube/base64.hpp"

extern char** environ;

namespace shift::kube {

namespace {

using nlohmann::json;

// One line: install hints are often written as paragraphs.
std::string oneLine(const std::string& s) {
    std::string out;
    bool space = false;
    for (char c : s) {
        if (c == '\n' || c == '\r' || c == '\t' || c == ' ') {
            space = !out.empty();
            continue;
        }
        if (space) out += ' ';
        space = false;
        out += c;
    }
    return out;
}

std::string withHint(std::string message, const ExecConfig& c) {
    if (!c.installHint.empty()) message += "; " + oneLine(c.installHint);
    return message;
}

std::string str(const json& o, const char* key) {
    auto it = o.find(key);
    return it != o.end() && it->is_string() ? it->get<std::string>() : std::string();
}

}  // namespace

std::optional<Clock::time_point> parseRfc3339(std::string_view t) {
    int y, mo, d, h, mi, s, consumed = 0;
    std::string text(t);
    if (std::sscanf(text.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d%n", &y, &mo, &d, &h, &mi, &s, &consumed) != 6 ||
        consumed != 19)
        if (std::sscanf(text.c_str(), "%4d-%2d-%2dt%2d:%2d:%2d%n", &y, &mo, &d, &h, &mi, &s, &consumed) !=
                6 ||
            consumed != 19)
            return std::nullopt;
    size_t i = 19;
    std::chrono::nanoseconds frac{0};
    if (i < text.size() && text[i] == '.') {
        long long scale = 100000000, ns = 0;
        for (++i; i < text.size() && std::isdigit((unsigned char)text[i]); ++i, scale /= 10)
            ns += (text[i] - '0') * scale;
        frac = std::chrono::nanoseconds(ns);
    }
    long offset = 0;
    if (i < text.size() && (text[i] == 'Z' || text[i] == 'z')) {
        ++i;
    } else if (i + 6 == text.size() && (text[i] == '+' || text[i] == '-') && text[i + 3] == ':') {
        int oh = std::atoi(text.substr(i + 1, 2).c_str()), om = std::atoi(text.substr(i + 4, 2).c_str());
        offset = (text[i] == '+' ? 1 : -1) * (oh * 3600L + om * 60L);
        i += 6;
    } else {
        return std::nullopt;
    }
    if (i != text.size()) return std::nullopt;
    std::tm tm{};
    tm.tm_year = y - 1900;
    tm.tm_mon = mo - 1;
    tm.tm_mday = d;
    tm.tm_hour = h;
    tm.tm_min = mi;
    tm.tm_sec = s;
    time_t epoch = ::timegm(&tm) - offset;
    // system_clock counts nanoseconds in 64 bits: anything past 2262 is "never expires".
    if (epoch >= Clock::to_time_t(Clock::time_point::max()) - 1) return Clock::time_point::max();
    return Clock::from_time_t(epoch) + std::chrono::duration_cast<Clock::duration>(frac);
}

Result<ExecCredential> parseExecCredential(std::string_view out, const std::string& apiVersion,
                                           const std::string& command) {
    const std::string who = fmt::format("exec plugin \"{}\"", command);
    json doc = json::parse(out, nullptr, false);
    if (doc.is_discarded() || !doc.is_object() || str(doc, "kind") != "ExecCredential")
        return fail(who + " did not print an ExecCredential on stdout", kExitApi);
    if (str(doc, "apiVersion") != apiVersion)
        return fail(fmt::format("{} is configured to use API version {}, plugin returned version {}", who,
                                apiVersion, str(doc, "apiVersion")),
                    kExitApi);
    auto st = doc.find("status");
    if (st == doc.end() || !st->is_object()) return fail(who + " didn't return a status field", kExitApi);
    ExecCredential c;
    c.token = str(*st, "token");
    c.clientCertificateData = str(*st, "clientCertificateData");
    c.clientKeyData = str(*st, "clientKeyData");
    if (c.token.empty() && c.clientCertificateData.empty() && c.clientKeyData.empty())
        return fail(who + " didn't return a token or cert/key pair", kExitApi);
    if (c.clientCertificateData.empty() != c.clientKeyData.empty())
        return fail(who + " returned only certificate or key, not both", kExitApi);
    if (std::string exp = str(*st, "expirationTimestamp"); !exp.empty()) {
        c.expiration = parseRfc3339(exp);
        if (!c.expiration)
            return fail(fmt::format("{} returned an invalid expirationTimestamp", who), kExitApi);
    }
    return c;
}

std::string execInfoJson(const ExecConfig& config, const ExecClusterInfo* cluster, bool interactive) {
    json spec = {{"interactive", interactive}};
    if (cluster) {
        json c = {{"server", cluster->server}};  // the only field without omitempty
        if (!cluster->tlsServerName.empty()) c["tls-server-name"] = cluster->tlsServerName;
        if (cluster->insecureSkipTlsVerify) c["insecure-skip-tls-verify"] = true;
        if (!cluster->caData.empty()) c["certificate-authority-data"] = base64Encode(cluster->caData);
        if (!cluster->proxyUrl.empty()) c["proxy-url"] = cluster->proxyUrl;
        if (!cluster->configJson.empty()) {
            json cfg = json::parse(cluster->configJson, nullptr, false);
            if (!cfg.is_discarded()) c["config"] = cfg;
        }
        spec["cluster"] = c;
    }
    json doc = {{"kind", "ExecCredential"}, {"apiVersion", config.apiVersion}, {"spec", spec}};
    return doc.dump();
}

Result<bool> execInteractive(const std::string& mode, bool stdinIsTerminal) {
    if (mode == "Never") return false;
    if (mode == "IfAvailable" || mode.empty()) return stdinIsTerminal;
    if (mode == "Always") {
        if (!stdinIsTerminal)
            return fail("exec plugin cannot support interactive mode: standard input is not a terminal",
                        kExitApi);
        return true;
    }
    return fail(fmt::format("unknown exec plugin interactiveMode \"{}\"", mode), kExitInput);
}

namespace {

// Reads the plugin's stdout to its end, or until the deadline (false): poll() with what is left.
bool readUntil(int fd, std::string& out, double timeoutSeconds) {
    using SteadyClock = std::chrono::steady_clock;
    auto deadline = SteadyClock::now() + std::chrono::duration<double>(timeoutSeconds);
    char buf[4096];
    for (;;) {
        if (timeoutSeconds > 0) {
            auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - SteadyClock::now());
            if (left.count() <= 0) return false;
            pollfd p{fd, POLLIN, 0};
            int ready = ::poll(&p, 1, static_cast<int>(left.count()));
            if (ready < 0 && errno == EINTR) continue;
            if (ready == 0) return false;
        }
        ssize_t n = ::read(fd, buf, sizeof buf);
        if (n > 0)
            out.append(buf, size_t(n));
        else if (n < 0 && errno == EINTR)
            continue;
        else
            return true;
    }
}

}  // namespace

Result<std::string> runExecPlugin(const ExecConfig& config, const std::string& execInfo, bool interactive,
                                  double timeoutSeconds) {
    // Environment: ours, then the plugin's env, then KUBERNETES_EXEC_INFO; a later name replaces an
    // earlier one, as Go's os/exec does.
    std::vector<std::string> env;
    auto put = [&env](const std::string& name, const std::string& value) {
        std::string prefix = name + "=";
        std::erase_if(env, [&](const std::string& e) { return e.compare(0, prefix.size(), prefix) == 0; });
        env.push_back(prefix + value);
    };
    for (char** e = environ; e && *e; ++e) env.emplace_back(*e);
    for (const auto& [name, value] : config.env) put(name, value);
    put("KUBERNETES_EXEC_INFO", execInfo);

    std::vector<char*> envp, argv;
    for (auto& e : env) envp.push_back(e.data());
    envp.push_back(nullptr);
    std::vector<std::string> args{config.command};
    args.insert(args.end(), config.args.begin(), config.args.end());
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);

    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0)
        return fail(fmt::format("cannot run exec plugin: {}", std::strerror(errno)), kExitApi);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, fds[1], STDOUT_FILENO);
    if (!interactive) posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
    // A plugin that can be timed out runs in its own process group, so that killing it reaches what
    // it started (a shell script's children); an interactive one stays in the terminal's group.
    posix_spawnattr_t attr;
    posix_spawnattr_init(&attr);
    if (timeoutSeconds > 0) {
        posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP);
        posix_spawnattr_setpgroup(&attr, 0);
    }
    pid_t pid = 0;
    int rc = ::posix_spawnp(&pid, config.command.c_str(), &actions, &attr, argv.data(), envp.data());
    posix_spawnattr_destroy(&attr);
    posix_spawn_file_actions_destroy(&actions);
    ::close(fds[1]);
    if (rc != 0) {
        ::close(fds[0]);
        std::string what = rc == ENOENT ? fmt::format("exec plugin \"{}\" not found", config.command)
                                        : fmt::format("cannot run exec plugin \"{}\": {}", config.command,
                                                      std::strerror(rc));
        if (rc == ENOENT && config.installHint.empty())
            what +=
                "; install the client-go credential plugin it names (see "
                "https://kubernetes.io/docs/reference/access-authn-authz/authentication/"
                "#client-go-credential-plugins)";
        return fail(withHint(what, config), kExitApi);
    }
    std::string out;
    bool finished = readUntil(fds[0], out, timeoutSeconds);
    ::close(fds[0]);
    if (!finished) ::kill(-pid, SIGKILL);
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    if (!finished) {
        return fail(
            fmt::format("exec plugin \"{}\" did not finish within {}s and was stopped; run it by hand "
                        "to see why, or raise --request-timeout",
                        config.command, timeoutSeconds),
            kExitApi);
    }
    if (WIFEXITED(status) && WEXITSTATUS(status) == 127 && out.empty())
        return fail(withHint(fmt::format("exec plugin \"{}\" not found", config.command), config), kExitApi);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        std::string how = WIFEXITED(status) ? fmt::format("exit code {}", WEXITSTATUS(status))
                                            : fmt::format("signal {}", WTERMSIG(status));
        // The plugin is installed and ran: kubectl shows installHint only when it is missing.
        return fail(fmt::format("exec plugin \"{}\" failed with {}", config.command, how), kExitApi);
    }
    return out;
}

ExecAuthenticator::ExecAuthenticator(ExecConfig config, std::optional<ExecClusterInfo> cluster)
    : stdinIsTerminal([] { return ::isatty(STDIN_FILENO) == 1; }),
      config_(std::move(config)),
      cluster_(std::move(cluster)) {}

Result<ExecCredential> ExecAuthenticator::credential() {
    if (cached_ && (!cached_->expiration || now() < *cached_->expiration)) return *cached_;
    return refresh();
}

Result<ExecCredential> ExecAuthenticator::refresh() {
    auto interactive = execInteractive(config_.interactiveMode, stdinIsTerminal());
    if (!interactive) return interactive.error();
    ++runs_;
    auto out = runExecPlugin(
        config_,
        execInfoJson(config_, config_.provideClusterInfo && cluster_ ? &*cluster_ : nullptr, *interactive),
        *interactive, *interactive ? 0 : timeoutSeconds);
    if (!out) return out.error();
    auto cred = parseExecCredential(*out, config_.apiVersion, config_.command);
    if (!cred) return cred.error();
    cached_ = *cred;
    return cred;
}

}  // namespace shift::kube
