#include "kube/cluster.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>

namespace shift::kube {

namespace {

std::string trim(std::string s) {
    const char* ws = " \t\r\n";
    size_t b = s.find_first_not_of(ws);
    if (b == std::string::npos) return {};
    return s.substr(b, s.find_last_not_of(ws) - b + 1);
}

bool exists(const std::string& path) {
    struct stat st {};
    return ::stat(path.c_str(), &st) == 0;
}

template <class Map>
std::string names(const Map& m) {
    std::string out;
    for (const auto& kv : m) out += (out.empty() ? "" : ", ") + kv.first;
    return out;
}

std::string contextsHint(const Kubeconfig& cfg) {
    return cfg.contexts.empty() ? "; there are none" : "; contexts: " + names(cfg.contexts);
}

Status validateExec(ExecConfig& e, const std::string& user) {
    if (e.command.empty()) return fail(fmt::format("exec plugin of user \"{}\" has no command", user));
    const bool v1 = e.apiVersion == "client.authentication.k8s.io/v1";
    const bool v1beta1 = e.apiVersion == "client.authentication.k8s.io/v1beta1";
    if (!v1 && !v1beta1)
        return fail(
            fmt::format("exec plugin of user \"{}\": apiVersion \"{}\" is not supported; use "
                        "client.authentication.k8s.io/v1 or v1beta1",
                        user, e.apiVersion));
    // client-go defaults interactiveMode only for v1beta1; v1 must say it.
    if (e.interactiveMode.empty()) {
        if (v1)
            return fail(fmt::format(
                "interactiveMode must be specified for user \"{}\" to use exec authentication plugin", user));
        e.interactiveMode = "IfAvailable";
    }
    if (e.interactiveMode != "Never" && e.interactiveMode != "IfAvailable" && e.interactiveMode != "Always")
        return fail(
            fmt::format("invalid interactiveMode for user \"{}\": \"{}\"; use Never, IfAvailable or Always",
                        user, e.interactiveMode));
    return okStatus();
}

}  // namespace

Env Env::fromProcess() {
    Env env;
    for (const char* name :
         {"KUBECONFIG", "HOME", "KUBERNETES_SERVICE_HOST", "KUBERNETES_SERVICE_PORT", "POD_NAMESPACE"})
        if (const char* v = std::getenv(name)) env.vars[name] = v;
    return env;
}

std::string Env::get(const std::string& name) const {
    auto it = vars.find(name);
    return it == vars.end() ? std::string() : it->second;
}

Result<std::string> readFile(const std::string& path, const std::string& what) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return fail(fmt::format("cannot read {} {}: {}", what, path, std::strerror(errno)));
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

KubeconfigSource kubeconfigSource(const ConfigFlags& flags, const Env& env) {
    if (!flags.kubeconfig.empty()) return {{flags.kubeconfig}, true};
    if (std::string list = env.get("KUBECONFIG"); !list.empty()) return {splitKubeconfigList(list), false};
    if (std::string home = env.get("HOME"); !home.empty()) return {{home + "/.kube/config"}, false};
    return {};
}

Result<Cluster> loadCluster(const ConfigFlags& flags) { return loadCluster(flags, Env::fromProcess()); }

Result<Cluster> loadCluster(const ConfigFlags& flags, const Env& env) {
    KubeconfigSource src = kubeconfigSource(flags, env);
    std::vector<Kubeconfig> files;
    for (const auto& path : src.files) {
        std::ifstream in(path, std::ios::binary);
        if (!in) {
            int err = errno;
            // client-go skips missing files in KUBECONFIG; only an explicit --kubeconfig must exist.
            if (err == ENOENT && !src.explicitPath) continue;
            return fail(fmt::format("cannot read kubeconfig {}: {}", path, std::strerror(err)));
        }
        std::ostringstream ss;
        ss << in.rdbuf();
        auto parsed = parseKubeconfig(ss.str(), path);
        if (!parsed) return parsed.error();
        files.push_back(std::move(*parsed));
    }
    Kubeconfig merged = mergeKubeconfigs(files);

    // kubectl falls back to the pod's service account when the kubeconfig chooses no context.
    const bool noContext = flags.context.empty() && merged.currentContext.empty();
    if (noContext && !src.explicitPath && inClusterPossible(env)) return resolveInCluster(flags, env);
    // A kubeconfig that exists but says nothing (an empty file) is named, not reported as missing.
    if (merged.empty() && files.size() == 1 && src.files.size() == 1 && !src.explicitPath)
        return fail(fmt::format(
            "kubeconfig {} defines no context; point KUBECONFIG or --kubeconfig at a complete one",
            src.files[0]));
    if (merged.empty() && !src.explicitPath) {
        std::string looked = src.files.empty() ? "no HOME or KUBECONFIG set"
                                               : "looked at " + fmt::format("{}", fmt::join(src.files, ", "));
        return fail(fmt::format(
            "no kubeconfig found ({}) and not running in a cluster; pass --kubeconfig or set KUBECONFIG",
            looked));
    }
    return resolve(merged, flags);
}

// kubectl's rules: each --as flag replaces its kubeconfig field; a uid, group or extra without a
// user to impersonate is refused (client-go's words), and a line break would end the header.
Status impersonation(const Impersonation& configured, const ConfigFlags& flags, const std::string& who,
                     Impersonation& out) {
    out = configured;
    if (!flags.as.empty()) out.user = flags.as;
    if (!flags.asUid.empty()) out.uid = flags.asUid;
    if (!flags.asGroups.empty()) out.groups = flags.asGroups;
    if (out.user.empty() && out.any())
        return fail(fmt::format(
            "requesting uid, groups or user-extra for {} without impersonating a user; add --as USER", who));
    auto breaks = [](const std::string& v) {
        return v.find_first_of(std::string_view("\r\n\0", 3)) != std::string::npos;
    };
    auto anyBreaks = [&](const std::vector<std::string>& list) {
        return std::any_of(list.begin(), list.end(), breaks);
    };
    bool broken = breaks(out.user) || breaks(out.uid) || anyBreaks(out.groups) ||
                  std::any_of(out.extra.begin(), out.extra.end(),
                              [&](const auto& kv) { return breaks(kv.first) || anyBreaks(kv.second); });
    if (broken)
        return fail(fmt::format(
            "impersonation for {} holds a line break; fix --as/--as-group/--as-uid or the kubeconfig", who));
    return okStatus();
}

namespace {

// The context a run uses and what it refers to, all present in the kubeconfig.
struct Chosen {
    std::string name;
    const KubeContext* ctx = nullptr;
    const KubeCluster* cluster = nullptr;
    KubeUser user;  // empty when the context names none
};

Result<Chosen> chooseContext(const Kubeconfig& cfg, const ConfigFlags& flags) {
    Chosen out;
    out.name = flags.context.empty() ? cfg.currentContext : flags.context;
    if (out.name.empty()) return fail("no current-context in kubeconfig; pass --context" + contextsHint(cfg));
    auto ctxIt = cfg.contexts.find(out.name);
    if (ctxIt == cfg.contexts.end())
        return fail(fmt::format("context \"{}\" not found in kubeconfig{}", out.name, contextsHint(cfg)));
    out.ctx = &ctxIt->second;
    auto clIt = cfg.clusters.find(out.ctx->cluster);
    if (clIt == cfg.clusters.end())
        return fail(fmt::format("context \"{}\" refers to cluster \"{}\", which is not in kubeconfig",
                                out.name, out.ctx->cluster));
    out.cluster = &clIt->second;
    if (!out.ctx->user.empty()) {
        auto uIt = cfg.users.find(out.ctx->user);
        if (uIt == cfg.users.end())
            return fail(fmt::format("context \"{}\" refers to user \"{}\", which is not in kubeconfig",
                                    out.name, out.ctx->user));
        out.user = uIt->second;
    }
    return out;
}

// TLS, proxy and the server URL from the context's cluster entry.
Status applyCluster(Cluster& c, const Chosen& chosen) {
    const KubeCluster& kc = *chosen.cluster;
    c.caFile = kc.certificateAuthority;
    c.caData = kc.certificateAuthorityData;
    c.insecureSkipTlsVerify = kc.insecureSkipTlsVerify;
    c.tlsServerName = kc.tlsServerName;
    c.proxyUrl = kc.proxyUrl;
    c.execClusterExtensionJson = kc.execExtensionJson;

    std::string server = kc.server;
    if (server.empty())
        return fail(
            fmt::format("cluster \"{}\" of context \"{}\" has no server", chosen.ctx->cluster, chosen.name));
    // As client-go's DefaultServerURL: a bare host:port is https only when TLS is configured.
    if (server.find("://") == std::string::npos) {
        bool tls = !c.caFile.empty() || !c.caData.empty() || c.insecureSkipTlsVerify;
        server = (tls ? "https://" : "http://") + server;
    }
    while (server.size() > 1 && server.back() == '/') server.pop_back();
    // Said here rather than as a curl error later; the URL itself is not printed (it may hold a password).
    std::string where = fmt::format("fix server in kubeconfig context \"{}\"", chosen.name);
    if (server.rfind("https://", 0) != 0 && server.rfind("http://", 0) != 0)
        return fail(fmt::format("the server of cluster \"{}\" is not an https:// or http:// URL; {}",
                                chosen.ctx->cluster, where));
    if (server.find_first_of(" \t\r\n") != std::string::npos)
        return fail(fmt::format("the server of cluster \"{}\" is not a valid URL (it holds a space); {}",
                                chosen.ctx->cluster, where));
    c.server = server;
    return okStatus();
}

// Credentials from the context's user entry, checked for combinations client-go refuses.
Status applyUser(Cluster& c, const KubeUser& user, const std::string& userName) {
    c.token = user.token;
    c.tokenFile = user.tokenFile;
    c.username = user.username;
    c.password = user.password;
    c.clientCertFile = user.clientCertificate;
    c.clientCertData = user.clientCertificateData;
    c.clientKeyFile = user.clientKey;
    c.clientKeyData = user.clientKeyData;

    const bool hasToken = !c.token.empty() || !c.tokenFile.empty();
    const bool hasBasic = !c.username.empty() || !c.password.empty();
    const bool hasCert = !c.clientCertFile.empty() || !c.clientCertData.empty();
    const bool hasKey = !c.clientKeyFile.empty() || !c.clientKeyData.empty();
    if (hasToken && hasBasic)
        return fail(fmt::format("user \"{}\" sets both a token and username/password; keep one", userName));
    if (hasCert != hasKey)
        return fail(fmt::format("user \"{}\" sets a client {} without a client {}", userName,
                                hasCert ? "certificate" : "key", hasCert ? "key" : "certificate"));
    if (user.exec) {
        c.exec = user.exec;
        return validateExec(*c.exec, userName);
    }
    if (!user.authProvider.empty() && !hasToken && !hasBasic && !hasCert)
        return fail(
            fmt::format("user \"{}\" uses auth-provider \"{}\", which shift does not support; switch to an "
                        "exec credential plugin (e.g. gke-gcloud-auth-plugin, kubelogin)",
                        userName, user.authProvider));
    return okStatus();
}

}  // namespace

Result<Cluster> resolve(const Kubeconfig& cfg, const ConfigFlags& flags) {
    auto chosen = chooseContext(cfg, flags);
    if (!chosen) return chosen.error();
    const std::string& name = chosen->name;
    const KubeContext& ctx = *chosen->ctx;

    Cluster c;
    c.contextName = name;
    c.userName = ctx.user;
    c.origin = fmt::format("context \"{}\"", name);
    c.ns = !flags.ns.empty() ? flags.ns : !ctx.ns.empty() ? ctx.ns : "default";
    c.timeoutSeconds = flags.timeoutSeconds.value_or(kDefaultTimeoutSeconds);
    if (Status s = applyCluster(c, *chosen); !s) return s.error();
    const std::string who = fmt::format("user \"{}\"", ctx.user);
    if (Status s = impersonation(chosen->user.impersonate, flags, who, c.impersonate); !s) return s.error();
    if (Status s = applyUser(c, chosen->user, ctx.user); !s) return s.error();
    return c;
}

bool inClusterPossible(const Env& env) {
    return !env.get("KUBERNETES_SERVICE_HOST").empty() && !env.get("KUBERNETES_SERVICE_PORT").empty() &&
           exists(env.serviceAccountDir + "/token");
}

Result<Cluster> resolveInCluster(const ConfigFlags& flags, const Env& env) {
    std::string host = env.get("KUBERNETES_SERVICE_HOST"), port = env.get("KUBERNETES_SERVICE_PORT");
    if (host.empty() || port.empty())
        return fail(
            "not running in a cluster: KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT must be set");
    Cluster c;
    c.origin = "in-cluster config";
    c.server = host.find(':') != std::string::npos ? fmt::format("https://[{}]:{}", host, port)
                                                   : fmt::format("https://{}:{}", host, port);
    c.tokenFile = env.serviceAccountDir + "/token";
    if (!exists(c.tokenFile))
        return fail(fmt::format("in-cluster config: service account token {} is missing", c.tokenFile));
    if (std::string ca = env.serviceAccountDir + "/ca.crt"; exists(ca)) c.caFile = ca;
    c.timeoutSeconds = flags.timeoutSeconds.value_or(kDefaultTimeoutSeconds);
    // client-go: POD_NAMESPACE (downward API) first, then the service account's namespace file.
    c.ns = flags.ns;
    if (c.ns.empty()) c.ns = env.get("POD_NAMESPACE");
    if (c.ns.empty())
        if (auto f = readFile(env.serviceAccountDir + "/namespace", "namespace file")) c.ns = trim(*f);
    if (c.ns.empty()) c.ns = "default";
    if (Status s = impersonation({}, flags, "the in-cluster service account", c.impersonate); !s)
        return s.error();
    return c;
}

std::string recordedUser(const Cluster& c) {
    if (!c.impersonate.user.empty()) return c.impersonate.user;
    if (!c.userName.empty()) return c.userName;
    return c.contextName.empty() ? "in-cluster" : "unknown";
}

Result<std::string> bearerToken(const Cluster& c) {
    if (!c.tokenFile.empty()) {
        auto data = readFile(c.tokenFile, "token file");
        if (data) return trim(*data);
        if (c.token.empty() && c.contextName.empty()) return Error{data.error().message, kExitInput};
        if (c.token.empty()) {
            return Error{fmt::format("{}; fix tokenFile in kubeconfig context \"{}\"", data.error().message,
                                     c.contextName),
                         kExitInput};
        }
    }
    return c.token;
}

}  // namespace shift::kube
