#include "kube/kubeconfig.hpp"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <set>

#include "kube/base64.hpp"

namespace shift::kube {

namespace {

namespace fs = std::filesystem;

std::string str(const YAML::Node& map, const char* key) {
    YAML::Node n = map[key];
    return n && n.IsScalar() ? n.as<std::string>() : std::string();
}

bool flag(const YAML::Node& map, const char* key) {
    YAML::Node n = map[key];
    if (!n || !n.IsScalar()) return false;
    std::string v = n.as<std::string>();
    return v == "true" || v == "True" || v == "TRUE";
}

// Plain YAML scalars keep their YAML type in JSON; quoted ones stay strings.
nlohmann::json toJson(const YAML::Node& n) {
    switch (n.Type()) {
    case YAML::NodeType::Map: {
        nlohmann::json o = nlohmann::json::object();
        for (const auto& kv : n) o[kv.first.as<std::string>()] = toJson(kv.second);
        return o;
    }
    case YAML::NodeType::Sequence: {
        nlohmann::json a = nlohmann::json::array();
        for (const auto& item : n) a.push_back(toJson(item));
        return a;
    }
    case YAML::NodeType::Scalar: {
        std::string s = n.as<std::string>();
        if (n.Tag() != "!") {
            if (s == "true" || s == "false") return s == "true";
            if (s == "null" || s == "~") return nullptr;
            auto parsed = nlohmann::json::parse(s, nullptr, false);
            if (parsed.is_number()) return parsed;
        }
        return s;
    }
    default:
        return nullptr;
    }
}

void resolvePath(std::string& p, const fs::path& base) {
    if (!p.empty() && fs::path(p).is_relative()) p = (base / p).lexically_normal().string();
}

Result<std::string> decodeData(const YAML::Node& map, const char* key, const std::string& entry,
                               const std::string& path) {
    std::string raw = str(map, key);
    if (raw.empty()) return std::string();
    auto decoded = base64Decode(raw);
    if (!decoded) return fail(fmt::format("kubeconfig {}: {} of {} is not valid base64", path, key, entry));
    return *decoded;
}

// Each list entry is {name: ..., <field>: {...}}; a later duplicate within one file replaces an
// earlier one, as client-go's conversion into a map does.
template <class F>
Status eachNamed(const YAML::Node& root, const char* list, const char* field, const std::string& path, F&& f) {
    YAML::Node items = root[list];
    if (!items || items.IsNull()) return okStatus();
    if (!items.IsSequence()) return fail(fmt::format("kubeconfig {}: {} must be a list", path, list));
    for (const auto& item : items) {
        std::string name = str(item, "name");
        if (name.empty()) return fail(fmt::format("kubeconfig {}: an entry of {} has no name", path, list));
        YAML::Node body = item[field];
        if (body && !body.IsMap() && !body.IsNull())
            return fail(fmt::format("kubeconfig {}: {} \"{}\" has a malformed {}", path, list, name, field));
        Status s = f(name, body ? body : YAML::Node(YAML::NodeType::Map));
        if (!s) return s;
    }
    return okStatus();
}

}  // namespace

Result<Kubeconfig> parseKubeconfig(const std::string& text, const std::string& path) {
    YAML::Node root;
    try {
        root = YAML::Load(text);
    } catch (const YAML::Exception& e) {
        return fail(fmt::format("kubeconfig {}: not valid YAML (line {}: {})", path, e.mark.line + 1, e.msg));
    }
    Kubeconfig cfg;
    cfg.path = path;
    if (!root || root.IsNull()) return cfg;  // an empty file is an empty config, as for client-go
    if (!root.IsMap()) return fail(fmt::format("kubeconfig {}: not a kubeconfig (expected a mapping)", path));

    const fs::path base = path.empty() ? fs::current_path() : fs::absolute(fs::path(path)).parent_path();
    try {
        cfg.currentContext = str(root, "current-context");

        Status s = eachNamed(root, "clusters", "cluster", path, [&](const std::string& name, const YAML::Node& c) -> Status {
            KubeCluster k;
            k.server = str(c, "server");
            k.certificateAuthority = str(c, "certificate-authority");
            resolvePath(k.certificateAuthority, base);
            auto ca = decodeData(c, "certificate-authority-data", "cluster \"" + name + "\"", path);
            if (!ca) return ca.error();
            k.certificateAuthorityData = *ca;
            k.insecureSkipTlsVerify = flag(c, "insecure-skip-tls-verify");
            k.tlsServerName = str(c, "tls-server-name");
            k.proxyUrl = str(c, "proxy-url");
            k.disableCompression = flag(c, "disable-compression");
            if (YAML::Node exts = c["extensions"]; exts && exts.IsSequence())
                for (const auto& e : exts)
                    if (str(e, "name") == "client.authentication.k8s.io/exec" && e["extension"])
                        k.execExtensionJson = toJson(e["extension"]).dump();
            cfg.clusters[name] = std::move(k);
            return okStatus();
        });
        if (!s) return s.error();

        s = eachNamed(root, "users", "user", path, [&](const std::string& name, const YAML::Node& u) -> Status {
            KubeUser k;
            std::string entry = "user \"" + name + "\"";
            k.clientCertificate = str(u, "client-certificate");
            k.clientKey = str(u, "client-key");
            k.token = str(u, "token");
            k.tokenFile = str(u, "tokenFile");
            k.username = str(u, "username");
            k.password = str(u, "password");
            for (auto* p : {&k.clientCertificate, &k.clientKey, &k.tokenFile}) resolvePath(*p, base);
            auto cert = decodeData(u, "client-certificate-data", entry, path);
            if (!cert) return cert.error();
            k.clientCertificateData = *cert;
            auto key = decodeData(u, "client-key-data", entry, path);
            if (!key) return key.error();
            k.clientKeyData = *key;
            if (YAML::Node ap = u["auth-provider"]; ap && ap.IsMap()) k.authProvider = str(ap, "name");
            if (YAML::Node ex = u["exec"]; ex && ex.IsMap()) {
                ExecConfig e;
                e.command = str(ex, "command");
                // Only a command with a path separator is file-relative; a bare name is looked up in PATH.
                if (e.command.find('/') != std::string::npos) resolvePath(e.command, base);
                if (YAML::Node args = ex["args"]; args && args.IsSequence())
                    for (const auto& a : args) e.args.push_back(a.as<std::string>());
                if (YAML::Node env = ex["env"]; env && env.IsSequence())
                    for (const auto& v : env) e.env.emplace_back(str(v, "name"), str(v, "value"));
                e.apiVersion = str(ex, "apiVersion");
                e.installHint = str(ex, "installHint");
                e.provideClusterInfo = flag(ex, "provideClusterInfo");
                e.interactiveMode = str(ex, "interactiveMode");
                k.exec = std::move(e);
            }
            cfg.users[name] = std::move(k);
            return okStatus();
        });
        if (!s) return s.error();

        s = eachNamed(root, "contexts", "context", path, [&](const std::string& name, const YAML::Node& c) -> Status {
            cfg.contexts[name] = KubeContext{str(c, "cluster"), str(c, "user"), str(c, "namespace")};
            return okStatus();
        });
        if (!s) return s.error();
    } catch (const YAML::Exception& e) {
        return fail(fmt::format("kubeconfig {}: malformed (line {}: {})", path, e.mark.line + 1, e.msg));
    }
    return cfg;
}

Kubeconfig mergeKubeconfigs(const std::vector<Kubeconfig>& files) {
    Kubeconfig merged;
    for (const auto& f : files) {
        if (merged.currentContext.empty()) merged.currentContext = f.currentContext;
        // map::insert keeps an existing key: the first file to define a name wins.
        merged.clusters.insert(f.clusters.begin(), f.clusters.end());
        merged.users.insert(f.users.begin(), f.users.end());
        merged.contexts.insert(f.contexts.begin(), f.contexts.end());
    }
    return merged;
}

std::vector<std::string> splitKubeconfigList(const std::string& value) {
    std::vector<std::string> out;
    std::set<std::string> seen;
    size_t start = 0;
    while (start <= value.size()) {
        size_t end = value.find(':', start);
        if (end == std::string::npos) end = value.size();
        std::string item = value.substr(start, end - start);
        if (!item.empty() && seen.insert(item).second) out.push_back(item);
        start = end + 1;
    }
    return out;
}

}  // namespace shift::kube
