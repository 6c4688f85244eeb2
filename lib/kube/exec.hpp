#pragma once
// client-go credential plugins (users[].user.exec): run the command, read an ExecCredential.
#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.hpp"
#include "kube/kubeconfig.hpp"

namespace shift::kube {

using Clock = std::chrono::system_clock;

struct ExecCredential {
    std::string token;
    std::string clientCertificateData, clientKeyData;  // PEM, both or neither
    std::optional<Clock::time_point> expiration;
};

// What KUBERNETES_EXEC_INFO's spec.cluster carries when provideClusterInfo is set.
struct ExecClusterInfo {
    std::string server, tlsServerName, proxyUrl;
    bool insecureSkipTlsVerify = false;
    std::string caData;      // PEM; sent base64-encoded as certificate-authority-data
    std::string configJson;  // the cluster's client.authentication.k8s.io/exec extension
};

// Parses the plugin's stdout. The apiVersion must match the configured one, as in client-go.
// Errors never quote the output: it holds secrets.
Result<ExecCredential> parseExecCredential(std::string_view out, const std::string& apiVersion,
                                           const std::string& command);

// RFC 3339 as Kubernetes writes it: 2024-05-01T10:00:00Z, with optional fraction and offset.
std::optional<Clock::time_point> parseRfc3339(std::string_view text);

// The KUBERNETES_EXEC_INFO value: an ExecCredential with spec.interactive, and spec.cluster
// only when the plugin asked for it (provideClusterInfo).
std::string execInfoJson(const ExecConfig& config, const ExecClusterInfo* cluster, bool interactive);

// client-go's interactiveMode rules: Never, IfAvailable (when stdin is a terminal), Always (error
// without a terminal).
Result<bool> execInteractive(const std::string& mode, bool stdinIsTerminal);

// Runs the plugin with the process environment plus its env and KUBERNETES_EXEC_INFO, stdin
// attached only when interactive, stderr passed through (as kubectl does, for login prompts),
// and returns what it wrote to stdout. A plugin that runs past `timeoutSeconds` (when > 0) is
// killed with everything it started: a CI job must not hang on a stuck credential helper. The
// caller gives no limit to an interactive plugin, which may be waiting for its user.
Result<std::string> runExecPlugin(const ExecConfig& config, const std::string& execInfo, bool interactive,
                                  double timeoutSeconds = 0);

// Caches the credential for the run until its expirationTimestamp; refresh() re-runs the plugin
// (after a 401).
class ExecAuthenticator {
   public:
    ExecAuthenticator(ExecConfig config, std::optional<ExecClusterInfo> cluster);

    Result<ExecCredential> credential();
    Result<ExecCredential> refresh();
    int runs() const { return runs_; }

    // Seams for tests.
    std::function<bool()> stdinIsTerminal;
    std::function<Clock::time_point()> now = [] { return Clock::now(); };
    double timeoutSeconds = 0;  // for a non-interactive plugin: --request-timeout (0: none)

   private:
    ExecConfig config_;
    std::optional<ExecClusterInfo> cluster_;
    std::optional<ExecCredential> cached_;
    int runs_ = 0;
};

}  // namespace shift::kube
