#pragma once
// Which cluster to talk to and how: kubectl's loading rules, resolved into one Cluster.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "base/result.hpp"
#include "kube/kubeconfig.hpp"

namespace shift::kube {

struct ConfigFlags {
    std::string kubeconfig;  // --kubeconfig
    std::string context;     // --context
    std::string ns;          // -n
    // --request-timeout: unset means kDefaultTimeoutSeconds; 0 means no timeout, as in kubectl.
    std::optional<double> timeoutSeconds;
    // --as, --as-uid, --as-group: each replaces the kubeconfig user's as, as-uid, as-groups.
    std::string as, asUid;
    std::vector<std::string> asGroups;
};

inline constexpr double kDefaultTimeoutSeconds = 30;
inline constexpr const char* kServiceAccountDir = "/var/run/secrets/kubernetes.io/serviceaccount";

// Everything needed to talk to one API server, resolved.
struct Cluster {
    std::string server;       // https://host:port[/prefix], no trailing slash
    std::string ns;           // -n, else context namespace, else in-cluster namespace, else "default"
    std::string contextName;  // "" in-cluster
    std::string origin;       // where it came from, for messages: "context \"x\"" or "in-cluster config"
    std::string userName;     // the context's user (kubeconfig users[].name); "" in-cluster or none

    // TLS
    std::string caFile, caData;  // PEM; data wins over file, as in client-go
    bool insecureSkipTlsVerify = false;
    std::string tlsServerName;
    std::string proxyUrl;  // overrides HTTPS_PROXY/NO_PROXY when set

    // Auth, in client-go's order: bearer token (tokenFile re-read wins over token), basic, client
    // certificate; the exec plugin only when none of those is set.
    std::string token, tokenFile;
    std::string clientCertFile, clientCertData;
    std::string clientKeyFile, clientKeyData;
    std::string username, password;
    std::optional<ExecConfig> exec;
    std::string execClusterExtensionJson;  // cluster extension handed to exec plugins
    Impersonation impersonate;             // sent as Impersonate-* headers when user is set

    double timeoutSeconds = kDefaultTimeoutSeconds;  // 0: no overall timeout (--request-timeout=0)
};

// Who a change is recorded as (shift's history): the impersonated user when there is one, else the
// context's user, else "in-cluster" for the pod's service account or "unknown" for a context without
// a user.
std::string recordedUser(const Cluster& cluster);

// The parts of the process environment that loading reads; tests build their own.
struct Env {
    std::map<std::string, std::string> vars;  // KUBECONFIG, HOME, KUBERNETES_SERVICE_HOST/PORT, POD_NAMESPACE
    std::string serviceAccountDir = kServiceAccountDir;

    static Env fromProcess();
    std::string get(const std::string& name) const;
};

// kubectl's order: --kubeconfig (must exist), else KUBECONFIG's files (missing ones skipped), else
// ~/.kube/config; with no kubeconfig at all, the in-cluster service account. Errors use kExitInput.
Result<Cluster> loadCluster(const ConfigFlags& flags);
Result<Cluster> loadCluster(const ConfigFlags& flags, const Env& env);

// The files loadCluster reads, in precedence order, and whether a missing one is an error.
struct KubeconfigSource {
    std::vector<std::string> files;
    bool explicitPath = false;
};
KubeconfigSource kubeconfigSource(const ConfigFlags& flags, const Env& env);

// Pure: picks the context (flag, else current-context) and resolves it against a merged config.
Result<Cluster> resolve(const Kubeconfig& merged, const ConfigFlags& flags);

// In-cluster config from KUBERNETES_SERVICE_HOST/PORT and the service account directory.
bool inClusterPossible(const Env& env);
Result<Cluster> resolveInCluster(const ConfigFlags& flags, const Env& env);

// The bearer token to send, if any: a readable tokenFile wins over token (client-go re-reads the
// file and prefers it); an unreadable tokenFile with no token is an error.
Result<std::string> bearerToken(const Cluster& cluster);

// Reads a whole file; the error names the file and what it is for.
Result<std::string> readFile(const std::string& path, const std::string& what);

}  // namespace shift::kube
