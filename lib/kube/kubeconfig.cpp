#include "kube/kubeconfig.hpp"

#include <fmt/format.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <set>
#include <string_view>

#include "doc/emit.hpp"
#include "doc/parse.hpp"
#include "doc/scalar.hpp"
#include "kube/base64.hpp"

namespace shift::kube {

namespace {

namespace fs = std::filesystem;
using doc::Node;

std::string str(const Node& map, const char* key) {
    const Node* n = map.get(key);
    return n ? n->str() : std::string();
}

// sigs.k8s.io/yaml reads a plain scalar by YAML 1.1 rules (yes, on, True...). A quoted "true",
// which kubectl refuses for a bool field, keeps the meaning shift has always given it.
bool flag(const Node& map, const char* key) {
    const Node* n = map.get(key);
    if (!n || !n->isScalar()) return false;
    if (!n->quoted) return doc::scalar::isTrue(n->scalar);
    return n->scalar == "true" || n->scalar == "True" || n->scalar == "TRUE";
}

Error malformed(const std::string& path, const Node& at, std::string_view what) {
    return fail(fmt::format("kubeconfig {}: malformed (line {}: {})", path, at.mark.line + 1, what));
}

// A list entry that should be a mapping but is a scalar; the words are those of yaml-cpp, the
// reader this file used before, so that the message stays the same.
Status lookupIn(const Node& entry, const char* key, const std::string& path) {
    if (!entry.isScalar()) return okStatus();
    return malformed(path, entry, fmt::format("operator[] call on a scalar (key: \"{}\")", key));
}

// doc reports ":LINE:COLUMN: invalid YAML: WHAT; fix the file and retry" for a text with no
// name (doc/parse.hpp); a kubeconfig error keeps its own form, "not valid YAML (line LINE: WHAT)".
Error notYaml(const std::string& path, std::string_view message) {
    constexpr std::string_view kInvalid = ": invalid YAML: ", kRetry = "; fix the file and retry";
    std::size_t at = message.find(kInvalid);
    if (at == std::string_view::npos)
        return fail(fmt::format("kubeconfig {}: not valid YAML ({})", path, message));
    std::string_view where = message.substr(0, at);
    std::string_view what = message.substr(at + kInvalid.size());
    if (what.ends_with(kRetry)) what.remove_suffix(kRetry.size());
    if (where.size() < 2) return fail(fmt::format("kubeconfig {}: not valid YAML ({})", path, what));
    where.remove_prefix(1);
    where = where.substr(0, where.find(':'));
    return fail(fmt::format("kubeconfig {}: not valid YAML (line {}: {})", path, where, what));
}

// kubectl hands the extension to exec plugins as JSON: plain scalars take their YAML 1.1 type
// (doc::toJson), and keys come out sorted, as Go marshals a map (nlohmann's object does too).
std::string extensionJson(const Node& extension) {
    std::string text = doc::toJson(extension, 0);
    auto parsed = nlohmann::json::parse(text, nullptr, false);
    return parsed.is_discarded() ? text : parsed.dump();
}

void resolvePath(std::string& p, const fs::path& base) {
    if (!p.empty() && fs::path(p).is_relative()) p = (base / p).lexically_normal().string();
}

Result<std::string> decodeData(const Node& map, const char* key, const std::string& entry,
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
Status eachNamed(const Node& root, const char* list, const char* field, const std::string& path, F&& f) {
    const Node* items = root.get(list);
    if (!items || items->isNull()) return okStatus();
    if (!items->isSeq()) return fail(fmt::format("kubeconfig {}: {} must be a list", path, list));
    const Node empty = Node::map();
    for (const Node& item : items->items) {
        if (Status s = lookupIn(item, "name", path); !s) return s;
        std::string name = str(item, "name");
        if (name.empty()) return fail(fmt::format("kubeconfig {}: an entry of {} has no name", path, list));
        const Node* body = item.get(field);
        if (body && !body->isMap() && !body->isNull())
            return fail(fmt::format("kubeconfig {}: {} \"{}\" has a malformed {}", path, list, name, field));
        Status s = f(name, body ? *body : empty);
        if (!s) return s;
    }
    return okStatus();
}

Status parseCluster(const std::string& name, const Node& c, const fs::path& base, const std::string& path,
                    KubeCluster& k) {
    k.server = str(c, "server");
    k.certificateAuthority = str(c, "certificate-authority");
    resolvePath(k.certificateAuthority, base);
    auto ca = decodeData(c, "certificate-authority-data", "cluster \"" + name + "\"", path);
    if (!ca) return ca.error();
    k.certificateAuthorityData = *ca;
    k.insecureSkipTlsVerify = flag(c, "insecure-skip-tls-verify");
    // kubectl refuses a value that is no boolean; shift would otherwise read it as false, silently.
    if (const Node* v = c.get("insecure-skip-tls-verify");
        v && v->isScalar() && !v->quoted && !k.insecureSkipTlsVerify && !doc::scalar::isFalse(v->scalar) &&
        !v->scalar.empty() && v->scalar != "null" && v->scalar != "~")
        return fail(fmt::format(
            "kubeconfig {}: insecure-skip-tls-verify of cluster \"{}\" is \"{}\"; write true or false", path,
            name, v->scalar));
    k.tlsServerName = str(c, "tls-server-name");
    k.proxyUrl = str(c, "proxy-url");
    k.disableCompression = flag(c, "disable-compression");
    if (const Node* exts = c.get("extensions"); exts && exts->isSeq()) {
        for (const Node& e : exts->items) {
            if (Status s = lookupIn(e, "name", path); !s) return s;
            const Node* extension = e.get("extension");
            if (str(e, "name") == "client.authentication.k8s.io/exec" && extension)
                k.execExtensionJson = extensionJson(*extension);
        }
    }
    return okStatus();
}

Result<ExecConfig> parseExec(const Node& ex, const fs::path& base, const std::string& path) {
    ExecConfig e;
    e.command = str(ex, "command");
    // Only a command with a path separator is file-relative; a bare name is looked up in PATH.
    if (e.command.find('/') != std::string::npos) resolvePath(e.command, base);
    if (const Node* args = ex.get("args"); args && args->isSeq()) {
        for (const Node& a : args->items) {
            // As shift has always read an argument: a null is "null", a list or map an error.
            if (a.isMap() || a.isSeq()) return malformed(path, a, "bad conversion");
            e.args.push_back(a.isNull() ? "null" : a.scalar);
        }
    }
    if (const Node* env = ex.get("env"); env && env->isSeq()) {
        for (const Node& v : env->items) {
            if (Status s = lookupIn(v, "name", path); !s) return s.error();
            e.env.emplace_back(str(v, "name"), str(v, "value"));
        }
    }
    e.apiVersion = str(ex, "apiVersion");
    e.installHint = str(ex, "installHint");
    e.provideClusterInfo = flag(ex, "provideClusterInfo");
    e.interactiveMode = str(ex, "interactiveMode");
    return e;
}

// A list of strings, as client-go reads as-groups and the values of as-user-extra.
Status strings(const Node* list, const char* key, const std::string& path, std::vector<std::string>& out) {
    if (!list || list->isNull()) return okStatus();
    if (!list->isSeq()) return malformed(path, *list, fmt::format("{} must be a list of strings", key));
    for (const Node& item : list->items) {
        if (!item.isScalar()) return malformed(path, item, fmt::format("{} must be a list of strings", key));
        out.push_back(item.scalar);
    }
    return okStatus();
}

Status parseImpersonation(const Node& u, const std::string& path, Impersonation& as) {
    as.user = str(u, "as");
    as.uid = str(u, "as-uid");
    if (Status s = strings(u.get("as-groups"), "as-groups", path, as.groups); !s) return s;
    const Node* extra = u.get("as-user-extra");
    if (!extra || extra->isNull()) return okStatus();
    if (!extra->isMap()) return malformed(path, *extra, "as-user-extra must map keys to lists of strings");
    for (std::size_t i = 0; i < extra->keys.size(); ++i) {
        auto& values = as.extra[extra->keys[i]];
        if (Status s = strings(&extra->items[i], "as-user-extra", path, values); !s) return s;
    }
    return okStatus();
}

Status parseUser(const std::string& name, const Node& u, const fs::path& base, const std::string& path,
                 KubeUser& k) {
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
    if (const Node* ap = u.get("auth-provider"); ap && ap->isMap()) k.authProvider = str(*ap, "name");
    if (Status s = parseImpersonation(u, path, k.impersonate); !s) return s;
    if (const Node* ex = u.get("exec"); ex && ex->isMap()) {
        auto e = parseExec(*ex, base, path);
        if (!e) return e.error();
        k.exec = std::move(*e);
    }
    return okStatus();
}

}  // namespace

Result<Kubeconfig> parseKubeconfig(const std::string& text, const std::string& path) {
    auto stream = doc::parseYaml(text, "", doc::DuplicateKeys::LastWins);
    if (!stream) return notYaml(path, stream.error().message);
    Kubeconfig cfg;
    cfg.path = path;
    // An empty file is an empty config, as for client-go (doc drops empty and null documents).
    if (stream->docs.empty()) return cfg;
    const Node& root = stream->docs.front();
    if (!root.isMap()) return fail(fmt::format("kubeconfig {}: not a kubeconfig (expected a mapping)", path));

    const fs::path base = path.empty() ? fs::current_path() : fs::absolute(fs::path(path)).parent_path();
    cfg.currentContext = str(root, "current-context");

    Status s =
        eachNamed(root, "clusters", "cluster", path, [&](const std::string& name, const Node& c) -> Status {
            KubeCluster k;
            if (Status parsed = parseCluster(name, c, base, path, k); !parsed) return parsed;
            cfg.clusters[name] = std::move(k);
            return okStatus();
        });
    if (!s) return s.error();

    s = eachNamed(root, "users", "user", path, [&](const std::string& name, const Node& u) -> Status {
        KubeUser k;
        if (Status parsed = parseUser(name, u, base, path, k); !parsed) return parsed;
        cfg.users[name] = std::move(k);
        return okStatus();
    });
    if (!s) return s.error();

    s = eachNamed(root, "contexts", "context", path, [&](const std::string& name, const Node& c) -> Status {
        cfg.contexts[name] = KubeContext{str(c, "cluster"), str(c, "user"), str(c, "namespace")};
        return okStatus();
    });
    if (!s) return s.error();
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
