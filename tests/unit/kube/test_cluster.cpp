#include <doctest/doctest.h>

#include "../temp_dir.hpp"
#include "kube/cluster.hpp"

using namespace shift::kube;

namespace {

Kubeconfig twoContexts() {
    Kubeconfig k;
    k.currentContext = "a";
    k.clusters["ca"].server = "https://a.example:6443/";
    k.clusters["cb"].server = "b.example:8080";
    k.users["ua"].token = "tok-a";
    k.users["ub"].username = "admin";
    k.users["ub"].password = "secret";
    k.contexts["a"] = {"ca", "ua", "istio-demo"};
    k.contexts["b"] = {"cb", "ub", ""};
    return k;
}

std::string errorOf(const shift::Result<Cluster>& r) {
    REQUIRE_FALSE(r.ok());
    return r.error().message;
}

const char* kConfigA = R"(
current-context: a
clusters:
- name: ca
  cluster: {server: "https://a.example", certificate-authority: ca.pem}
users:
- name: ua
  user: {tokenFile: token}
contexts:
- name: a
  context: {cluster: ca, user: ua}
)";

const char* kConfigB = R"(
current-context: b
clusters:
- name: cb
  cluster: {server: "https://b.example"}
contexts:
- name: a
  context: {cluster: cb}
- name: b
  context: {cluster: cb, namespace: from-b}
)";

}  // namespace

TEST_SUITE("kube::config") {
    TEST_CASE("resolve: --context wins over current-context") {
        auto r = resolve(twoContexts(), {});
        REQUIRE(r.ok());
        CHECK(r->contextName == "a");
        CHECK(r->server == "https://a.example:6443");  // trailing slash dropped
        CHECK(r->token == "tok-a");
        CHECK(r->timeoutSeconds == kDefaultTimeoutSeconds);

        ConfigFlags f;
        f.context = "b";
        f.timeoutSeconds = 5;
        r = resolve(twoContexts(), f);
        REQUIRE(r.ok());
        CHECK(r->contextName == "b");
        CHECK(r->username == "admin");
        CHECK(r->timeoutSeconds == 5);
        SUBCASE("--request-timeout=0 is no timeout, not the default") {
            f.timeoutSeconds = 0;
            CHECK(resolve(twoContexts(), f)->timeoutSeconds == 0);
        }
        SUBCASE("a bare host:port is http without TLS settings, as client-go's DefaultServerURL") {
            CHECK(r->server == "http://b.example:8080");
        }
    }

    TEST_CASE("resolve: namespace is -n, else the context's, else default") {
        ConfigFlags f;
        CHECK(resolve(twoContexts(), f)->ns == "istio-demo");
        f.ns = "other";
        CHECK(resolve(twoContexts(), f)->ns == "other");
        f = {};
        f.context = "b";
        CHECK(resolve(twoContexts(), f)->ns == "default");
    }

    TEST_CASE("resolve: errors name what is missing and what exists") {
        ConfigFlags f;
        f.context = "x";
        CHECK(errorOf(resolve(twoContexts(), f)) == "context \"x\" not found in kubeconfig; contexts: a, b");
        CHECK(resolve(twoContexts(), f).error().exit == shift::kExitInput);
        CHECK(errorOf(resolve(Kubeconfig{}, f)) == "context \"x\" not found in kubeconfig; there are none");

        Kubeconfig k = twoContexts();
        k.currentContext.clear();
        CHECK(errorOf(resolve(k, {})) == "no current-context in kubeconfig; pass --context; contexts: a, b");

        k = twoContexts();
        k.clusters.erase("ca");
        CHECK(errorOf(resolve(k, {})) ==
              "context \"a\" refers to cluster \"ca\", which is not in kubeconfig");
        k = twoContexts();
        k.users.erase("ua");
        CHECK(errorOf(resolve(k, {})) == "context \"a\" refers to user \"ua\", which is not in kubeconfig");
        k = twoContexts();
        k.clusters["ca"].server.clear();
        CHECK(errorOf(resolve(k, {})) == "cluster \"ca\" of context \"a\" has no server");
    }

    TEST_CASE("resolve: auth settings that cannot work together are rejected before any request") {
        Kubeconfig k = twoContexts();
        k.users["ua"].username = "u";
        CHECK(errorOf(resolve(k, {})) == "user \"ua\" sets both a token and username/password; keep one");

        k = twoContexts();
        k.users["ua"].clientCertificateData = "PEM";
        CHECK(errorOf(resolve(k, {})) == "user \"ua\" sets a client certificate without a client key");

        k = twoContexts();
        k.users["ua"] = KubeUser{};
        k.users["ua"].authProvider = "gcp";
        CHECK(errorOf(resolve(k, {})).find("auth-provider \"gcp\", which shift does not support") !=
              std::string::npos);
    }

    TEST_CASE("resolve: impersonation from the kubeconfig, each --as flag replacing its field") {
        Kubeconfig k = twoContexts();
        k.users["ua"].impersonate = {"jane", "u0", {"devs"}, {{"scopes", {"view"}}}};
        auto c = resolve(k, {});
        REQUIRE(c.ok());
        CHECK(c->impersonate.user == "jane");
        CHECK(c->impersonate.groups == std::vector<std::string>{"devs"});

        ConfigFlags flags;
        flags.as = "carol";
        c = resolve(k, flags);
        REQUIRE(c.ok());
        CHECK(c->impersonate.user == "carol");
        CHECK(c->impersonate.uid == "u0");  // kept, as kubectl keeps the kubeconfig's as-uid
        CHECK(c->impersonate.groups == std::vector<std::string>{"devs"});

        flags.asGroups = {"ops", "system:authenticated"};
        flags.asUid = "u1";
        c = resolve(k, flags);
        REQUIRE(c.ok());
        CHECK(c->impersonate.groups == std::vector<std::string>{"ops", "system:authenticated"});
        CHECK(c->impersonate.uid == "u1");
        CHECK(c->impersonate.extra.at("scopes") == std::vector<std::string>{"view"});
    }

    TEST_CASE("recordedUser: the impersonated user, else the context's user, else where it runs") {
        Kubeconfig k = twoContexts();
        auto c = resolve(k, {});
        REQUIRE(c.ok());
        CHECK(c->userName == "ua");
        CHECK(recordedUser(*c) == "ua");
        ConfigFlags flags;
        flags.as = "carol";
        CHECK(recordedUser(*resolve(k, flags)) == "carol");
        k.contexts["a"].user = "";
        CHECK(recordedUser(*resolve(k, {})) == "unknown");
        CHECK(recordedUser(Cluster{}) == "in-cluster");
    }

    TEST_CASE("resolve: a group, uid or extra without a user to impersonate is refused, as by kubectl") {
        Kubeconfig k = twoContexts();
        ConfigFlags flags;
        flags.asGroups = {"system:masters"};
        CHECK(errorOf(resolve(k, flags)) ==
              "requesting uid, groups or user-extra for user \"ua\" without impersonating a user; add --as "
              "USER");
        k.users["ua"].impersonate.uid = "u0";
        CHECK(errorOf(resolve(k, {})).find("without impersonating a user") != std::string::npos);

        k = twoContexts();
        flags = {};
        flags.as = "jane\r\nAuthorization: Bearer x";
        CHECK(errorOf(resolve(k, flags)).find("holds a line break") != std::string::npos);
        CHECK(resolve(k, flags).error().exit == shift::kExitInput);
    }

    TEST_CASE("resolve: exec plugin validation follows client-go") {
        Kubeconfig k = twoContexts();
        k.users["ua"] = KubeUser{};
        ExecConfig e;
        e.command = "get-token";
        e.apiVersion = "client.authentication.k8s.io/v1beta1";
        k.users["ua"].exec = e;
        SUBCASE("v1beta1 defaults interactiveMode to IfAvailable") {
            auto r = resolve(k, {});
            REQUIRE(r.ok());
            CHECK(r->exec->interactiveMode == "IfAvailable");
        }
        SUBCASE("v1 requires interactiveMode") {
            k.users["ua"].exec->apiVersion = "client.authentication.k8s.io/v1";
            CHECK(errorOf(resolve(k, {})) ==
                  "interactiveMode must be specified for user \"ua\" to use exec authentication plugin");
            k.users["ua"].exec->interactiveMode = "Sometimes";
            CHECK(errorOf(resolve(k, {})).find("invalid interactiveMode") == 0);
        }
        SUBCASE("v1alpha1 is gone") {
            k.users["ua"].exec->apiVersion = "client.authentication.k8s.io/v1alpha1";
            CHECK(errorOf(resolve(k, {}))
                      .find("apiVersion \"client.authentication.k8s.io/v1alpha1\" is not supported") !=
                  std::string::npos);
        }
    }

    TEST_CASE("loadCluster: KUBECONFIG merges its files, skipping missing ones") {
        TempDir dir;
        std::string a = dir.write("a/config", kConfigA);
        std::string b = dir.write("b/config", kConfigB);
        Env env;
        env.serviceAccountDir = dir / "no-sa";
        env.vars["KUBECONFIG"] = dir / "missing" + ":" + a + ":" + b;
        auto r = loadCluster({}, env);
        REQUIRE_MESSAGE(r.ok(), (r.ok() ? "" : r.error().message));
        CHECK(r->contextName == "a");             // current-context of the first file that sets it
        CHECK(r->server == "https://a.example");  // context "a" of the first file wins over b's
        CHECK(r->caFile == dir / "a/ca.pem");     // relative to a/config
        CHECK(r->tokenFile == dir / "a/token");

        ConfigFlags f;
        f.context = "b";
        r = loadCluster(f, env);
        REQUIRE(r.ok());
        CHECK(r->server == "https://b.example");
        CHECK(r->ns == "from-b");
    }

    TEST_CASE("loadCluster: --kubeconfig beats KUBECONFIG and must exist") {
        TempDir dir;
        Env env;
        env.serviceAccountDir = dir / "no-sa";
        env.vars["KUBECONFIG"] = dir.write("a", kConfigA);
        ConfigFlags f;
        f.kubeconfig = dir.write("b", kConfigB);
        CHECK(loadCluster(f, env)->contextName == "b");
        f.kubeconfig = dir / "nope";
        auto r = loadCluster(f, env);
        REQUIRE_FALSE(r.ok());
        CHECK(r.error().message ==
              "cannot read kubeconfig " + (dir / "nope") + ": No such file or directory");
        CHECK(r.error().exit == shift::kExitInput);
    }

    TEST_CASE("loadCluster: ~/.kube/config when KUBECONFIG is unset; a clear error when nothing is found") {
        TempDir dir;
        Env env;
        env.serviceAccountDir = dir / "no-sa";
        env.vars["HOME"] = dir.path.string();
        auto r = loadCluster({}, env);
        REQUIRE_FALSE(r.ok());
        CHECK(r.error().message == "no kubeconfig found (looked at " + (dir / ".kube/config") +
                                       ") and not running in a cluster; pass --kubeconfig or set KUBECONFIG");
        dir.write(".kube/config", kConfigB);
        CHECK(loadCluster({}, env)->contextName == "b");
    }

    TEST_CASE("loadCluster: an empty kubeconfig file is named, not reported as missing") {
        TempDir dir;
        Env env;
        env.serviceAccountDir = dir / "no-sa";
        env.vars["KUBECONFIG"] = dir.write("kc", "");
        auto r = loadCluster({}, env);
        REQUIRE_FALSE(r.ok());
        CHECK(r.error().message ==
              "kubeconfig " + (dir / "kc") +
                  " defines no context; point KUBECONFIG or --kubeconfig at a complete one");
    }

    TEST_CASE("resolve: a server that is no http(s) URL is refused before any request, without printing it") {
        for (const char* server : {"ftp://127.0.0.1", "https://user:secret@exa mple.com"}) {
            Kubeconfig k;
            k.clusters["c"].server = server;
            k.contexts["ctx"] = KubeContext{"c", "", ""};
            k.currentContext = "ctx";
            auto r = resolve(k, {});
            REQUIRE_FALSE(r.ok());
            CHECK(r.error().message.rfind("the server of cluster \"c\" is not ", 0) == 0);
            CHECK(r.error().message.find("fix server in kubeconfig context \"ctx\"") != std::string::npos);
            CHECK(r.error().message.find("secret") == std::string::npos);
            CHECK(r.error().exit == shift::kExitInput);
        }
    }

    TEST_CASE("in-cluster: service env plus the service account directory") {
        TempDir dir;
        Env env;
        env.serviceAccountDir = dir / "sa";
        env.vars["HOME"] = dir.path.string();  // no ~/.kube/config there
        env.vars["KUBERNETES_SERVICE_HOST"] = "10.96.0.1";
        env.vars["KUBERNETES_SERVICE_PORT"] = "443";
        CHECK_FALSE(inClusterPossible(env));  // no token yet
        dir.write("sa/token", "sa-token\n");
        dir.write("sa/ca.crt", "PEM");
        dir.write("sa/namespace", "istio-demo\n");
        REQUIRE(inClusterPossible(env));

        auto r = loadCluster({}, env);
        REQUIRE_MESSAGE(r.ok(), (r.ok() ? "" : r.error().message));
        CHECK(r->server == "https://10.96.0.1:443");
        CHECK(r->tokenFile == dir / "sa/token");
        CHECK(r->caFile == dir / "sa/ca.crt");
        CHECK(r->ns == "istio-demo");
        CHECK(r->contextName.empty());
        CHECK(bearerToken(*r).value() == "sa-token");

        SUBCASE("namespace: -n, then POD_NAMESPACE, then the namespace file") {
            env.vars["POD_NAMESPACE"] = "from-env";
            CHECK(resolveInCluster({}, env)->ns == "from-env");
            ConfigFlags f;
            f.ns = "flag";
            CHECK(resolveInCluster(f, env)->ns == "flag");
        }
        SUBCASE("an IPv6 service host is bracketed") {
            env.vars["KUBERNETES_SERVICE_HOST"] = "fd00::1";
            CHECK(resolveInCluster({}, env)->server == "https://[fd00::1]:443");
        }
        SUBCASE("a kubeconfig that picks a context wins over in-cluster") {
            dir.write(".kube/config", kConfigB);
            CHECK(loadCluster({}, env)->contextName == "b");
        }
    }

    TEST_CASE("bearerToken: a readable tokenFile wins over token, as client-go re-reads it") {
        TempDir dir;
        Cluster c;
        c.token = "inline";
        CHECK(bearerToken(c).value() == "inline");
        c.tokenFile = dir.write("t", "  from-file \n");
        CHECK(bearerToken(c).value() == "from-file");
        c.tokenFile = dir / "missing";
        CHECK(bearerToken(c).value() == "inline");
        c.token.clear();
        auto r = bearerToken(c);
        REQUIRE_FALSE(r.ok());
        CHECK(r.error().message.find("cannot read token file " + (dir / "missing")) == 0);
        c.contextName = "ctx";
        CHECK(bearerToken(c).error().message ==
              "cannot read token file " + (dir / "missing") +
                  ": No such file or directory; fix tokenFile in kubeconfig context \"ctx\"");
    }
}
