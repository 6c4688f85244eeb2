#pragma once
// Kubeconfig files as kubectl reads them: parse one file, merge several (KUBECONFIG order).
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "base/result.hpp"

namespace shift::kube {

// users[].user.exec: a client-go credential plugin.
struct ExecConfig {
    std::string command;
    std::vector<std::string> args;
    std::vector<std::pair<std::string, std::string>> env;  // name, value
    std::string apiVersion;                                // client.authentication.k8s.io/v1 or v1beta1
    std::string installHint;
    bool provideClusterInfo = false;
    std::string interactiveMode;  // Never, IfAvailable, Always ("" defaults to IfAvailable for v1beta1)
};

struct KubeCluster {
    std::string server;
    std::string certificateAuthority;      // file path, absolute once parsed
    std::string certificateAuthorityData;  // PEM (decoded from base64)
    bool insecureSkipTlsVerify = false;
    std::string tlsServerName;
    std::string proxyUrl;
    bool disableCompression = false;
    std::string execExtensionJson;  // extensions[client.authentication.k8s.io/exec], passed to exec plugins
};

// Whom to act as: users[].user.as, as-uid, as-groups, as-user-extra (kubectl --as, --as-uid,
// --as-group). The API server checks that the real user may impersonate.
struct Impersonation {
    std::string user, uid;
    std::vector<std::string> groups;
    std::map<std::string, std::vector<std::string>> extra;
    bool any() const { return !user.empty() || !uid.empty() || !groups.empty() || !extra.empty(); }
};

struct KubeUser {
    std::string clientCertificate, clientCertificateData;  // file path / PEM
    std::string clientKey, clientKeyData;
    std::string token, tokenFile;
    std::string username, password;
    std::optional<ExecConfig> exec;
    std::string authProvider;  // name of a legacy auth-provider (unsupported, reported clearly)
    Impersonation impersonate;
};

struct KubeContext {
    std::string cluster;
    std::string user;
    std::string ns;
};

// One parsed file, or the merge of several. Paths inside are already absolute.
struct Kubeconfig {
    std::string path;  // the file it came from ("" when merged)
    std::string currentContext;
    std::map<std::string, KubeCluster> clusters;
    std::map<std::string, KubeUser> users;
    std::map<std::string, KubeContext> contexts;

    bool empty() const {
        return currentContext.empty() && clusters.empty() && users.empty() && contexts.empty();
    }
};

// Parses kubeconfig text. Relative file references (certificate-authority, client-certificate,
// client-key, tokenFile, and an exec command containing '/') resolve against the directory of
// `path`, as client-go's ResolveLocalPaths does.
Result<Kubeconfig> parseKubeconfig(const std::string& text, const std::string& path);

// client-go's merge: for every map (clusters, users, contexts) the first file to define a name wins
// as a whole entry; current-context comes from the first file that sets it.
Kubeconfig mergeKubeconfigs(const std::vector<Kubeconfig>& files);

// Splits KUBECONFIG on ':' dropping empty entries and duplicates (first occurrence kept).
std::vector<std::string> splitKubeconfigList(const std::string& value);

}  // namespace shift::kube
