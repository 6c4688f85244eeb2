#include <doctest/doctest.h>

#include <fstream>
#include <sstream>

#include "kube/kubeconfig.hpp"

using namespace shift::kube;

namespace {

const std::string kData = SHIFT_TEST_DATA "/kube";

Kubeconfig load(const std::string& name) {
    std::ifstream in(kData + "/" + name);
    std::stringstream ss;
    ss << in.rdbuf();
    auto r = parseKubeconfig(ss.str(), kData + "/" + name);
    REQUIRE_MESSAGE(r.ok(), (r.ok() ? "" : r.error().message));
    return *r;
}

}  // namespace

TEST_SUITE("kube::kubeconfig") {
    TEST_CASE("parses clusters, users and contexts") {
        Kubeconfig k = load("first.yaml");
        CHECK(k.currentContext == "dev");
        REQUIRE(k.clusters.count("only-first"));
        const KubeCluster& c = k.clusters["only-first"];
        CHECK(c.server == "https://only-first.example");
        CHECK(c.insecureSkipTlsVerify);
        CHECK(c.proxyUrl == "socks5://proxy.example:1080");
        CHECK(k.clusters["shared"].tlsServerName == "api.internal");
        CHECK(k.contexts["dev"].ns == "istio-demo");
        CHECK(k.contexts["dev"].user == "dev");

        REQUIRE(k.users["plugin"].exec.has_value());
        const ExecConfig& e = *k.users["plugin"].exec;
        CHECK(e.apiVersion == "client.authentication.k8s.io/v1");
        CHECK(e.args == std::vector<std::string>{"--cluster", "dev"});
        CHECK(e.env == std::vector<std::pair<std::string, std::string>>{{"PROFILE", "staging"}});
        CHECK(e.installHint == "Install get-token from the wiki.");
        CHECK(e.provideClusterInfo);
        CHECK(e.interactiveMode == "Never");
    }

    TEST_CASE("relative paths resolve against the file's directory, as client-go's ResolveLocalPaths") {
        Kubeconfig k = load("first.yaml");
        CHECK(k.clusters["shared"].certificateAuthority == kData + "/certs/ca.pem");
        CHECK(k.users["dev"].clientCertificate == kData + "/certs/dev.crt");
        CHECK(k.users["dev"].clientKey == "/abs/dev.key");
        CHECK(k.users["dev"].tokenFile == kData + "/token");
        SUBCASE("an exec command with a slash is a file; a bare name is looked up in PATH") {
            CHECK(k.users["plugin"].exec->command == kData + "/bin/get-token");
            CHECK(k.users["path-plugin"].exec->command == "aws");
        }
    }

    TEST_CASE("*-data fields are base64-decoded; the exec extension becomes JSON") {
        Kubeconfig k = load("second.yaml");
        const KubeCluster& c = k.clusters["only-second"];
        CHECK(c.certificateAuthorityData == "-----BEGIN CERTIFICATE-----\n");
        CHECK(c.execExtensionJson == R"({"audience":"kube","port":8443,"quoted":"8443"})");
    }

    TEST_CASE("plain scalars read as kubectl reads them (sigs.k8s.io/yaml, YAML 1.1)") {
        auto r = parseKubeconfig(R"(clusters:
- name: c
  cluster:
    insecure-skip-tls-verify: yes
    disable-compression: off
    extensions:
    - name: client.authentication.k8s.io/exec
      extension: {on: True, hex: 0x1F, s: !!str 5, n: ~}
)",
                                 "/k/config");
        REQUIRE_MESSAGE(r.ok(), (r.ok() ? "" : r.error().message));
        const KubeCluster& c = r->clusters["c"];
        CHECK(c.insecureSkipTlsVerify);
        CHECK_FALSE(c.disableCompression);
        CHECK(c.execExtensionJson == R"({"hex":31,"n":null,"on":true,"s":"5"})");
    }

    TEST_CASE("insecure-skip-tls-verify that is no boolean is refused, as kubectl does") {
        auto r = parseKubeconfig("clusters:\n- name: c\n  cluster:\n    insecure-skip-tls-verify: maybe\n",
                                 "/k/config");
        REQUIRE_FALSE(r.ok());
        CHECK(r.error().message ==
              "kubeconfig /k/config: insecure-skip-tls-verify of cluster \"c\" is \"maybe\"; write true or "
              "false");
        for (const char* v : {"false", "no", "", "~"}) {
            auto ok = parseKubeconfig(
                std::string("clusters:\n- name: c\n  cluster:\n    insecure-skip-tls-verify: ") + v + "\n",
                "/k/c");
            REQUIRE_MESSAGE(ok.ok(), v);
            CHECK_FALSE(ok->clusters["c"].insecureSkipTlsVerify);
        }
    }

    TEST_CASE("bad input names the file and the problem") {
        auto r = parseKubeconfig("clusters: [unclosed", "/k/config");
        REQUIRE_FALSE(r.ok());
        CHECK(r.error().message.find("kubeconfig /k/config: not valid YAML") == 0);
        CHECK(r.error().exit == shift::kExitInput);

        r = parseKubeconfig("users:\n- name: u\n  user:\n    token: t\n    client-key-data: '%%%'\n",
                            "/k/config");
        REQUIRE_FALSE(r.ok());
        CHECK(r.error().message == "kubeconfig /k/config: client-key-data of user \"u\" is not valid base64");

        CHECK_FALSE(parseKubeconfig("- a\n- b\n", "/k/config").ok());
        CHECK_FALSE(parseKubeconfig("clusters:\n- cluster: {server: x}\n", "/k/config").ok());
    }

    TEST_CASE("impersonation: as, as-uid, as-groups and as-user-extra of a user") {
        auto r = parseKubeconfig(
            "users:\n- name: u\n  user:\n    token: t\n    as: jane\n    as-uid: \"1000\"\n"
            "    as-groups: [developers, system:authenticated]\n"
            "    as-user-extra: {scopes: [view, edit], team: [mesh]}\n",
            "/k/config");
        REQUIRE_MESSAGE(r.ok(), (r.ok() ? "" : r.error().message));
        const Impersonation& as = r->users["u"].impersonate;
        CHECK(as.user == "jane");
        CHECK(as.uid == "1000");
        CHECK(as.groups == std::vector<std::string>{"developers", "system:authenticated"});
        CHECK(as.extra.at("scopes") == std::vector<std::string>{"view", "edit"});
        CHECK(as.extra.at("team") == std::vector<std::string>{"mesh"});
        CHECK_FALSE(parseKubeconfig("users:\n- name: u\n  user: {token: t}\n", "/k/config")
                        ->users["u"]
                        .impersonate.any());

        r = parseKubeconfig("users:\n- name: u\n  user:\n    as: jane\n    as-groups: developers\n",
                            "/k/config");
        REQUIRE_FALSE(r.ok());
        CHECK(r.error().message ==
              "kubeconfig /k/config: malformed (line 5: as-groups must be a list of strings)");
        r = parseKubeconfig("users:\n- name: u\n  user:\n    as: jane\n    as-user-extra: [a]\n",
                            "/k/config");
        REQUIRE_FALSE(r.ok());
        CHECK(r.error().message ==
              "kubeconfig /k/config: malformed (line 5: as-user-extra must map keys to lists of strings)");
    }

    TEST_CASE("a duplicate key: the last one wins, as client-go reads a kubeconfig") {
        auto r = parseKubeconfig(
            "current-context: a\ncurrent-context: b\n"
            "users:\n- name: u\n  user:\n    token: old\n    token: new\n",
            "/k/config");
        REQUIRE_MESSAGE(r.ok(), (r.ok() ? "" : r.error().message));
        CHECK(r->currentContext == "b");
        CHECK(r->users["u"].token == "new");
    }

    TEST_CASE("an empty file is an empty config") {
        auto r = parseKubeconfig("", "/k/config");
        REQUIRE(r.ok());
        CHECK(r->empty());
    }

    TEST_CASE("merge: the first file to define a name wins; current-context from the first that sets it") {
        Kubeconfig merged = mergeKubeconfigs({load("first.yaml"), load("second.yaml")});
        CHECK(merged.currentContext == "dev");
        CHECK(merged.clusters["shared"].server == "https://first.example:6443/");
        CHECK(merged.users["dev"].token.empty());  // whole entries win, fields are not mixed
        CHECK(merged.contexts["dev"].cluster == "shared");
        CHECK(merged.clusters.count("only-first") == 1);
        CHECK(merged.clusters.count("only-second") == 1);
        CHECK(merged.contexts.count("prod") == 1);

        SUBCASE("a first file without current-context defers to the next") {
            Kubeconfig noCurrent = load("first.yaml");
            noCurrent.currentContext.clear();
            CHECK(mergeKubeconfigs({noCurrent, load("second.yaml")}).currentContext == "prod");
        }
        SUBCASE("reversed order reverses the winners") {
            Kubeconfig rev = mergeKubeconfigs({load("second.yaml"), load("first.yaml")});
            CHECK(rev.currentContext == "prod");
            CHECK(rev.clusters["shared"].server == "https://second.example:6443");
        }
    }

    TEST_CASE("an alias bomb in a kubeconfig is refused, not expanded") {
        std::string text = "apiVersion: v1\nkind: Config\nx:\n  l0: &l0 [a, a, a, a, a, a, a, a, a, a]\n";
        for (int i = 1; i <= 10; ++i) {
            text += "  l" + std::to_string(i) + ": &l" + std::to_string(i) + " [";
            for (int j = 0; j < 10; ++j) text += (j ? ", *l" : "*l") + std::to_string(i - 1);
            text += "]\n";
        }
        auto r = parseKubeconfig(text, "bomb");
        REQUIRE_FALSE(r.ok());
        CHECK(r.error().message == "kubeconfig bomb: not valid YAML (document contains excessive aliasing)");
        CHECK(r.error().exit == shift::kExitInput);
    }

    TEST_CASE("KUBECONFIG splits on ':' dropping empties and duplicates") {
        CHECK(splitKubeconfigList("a:b::a:c:") == std::vector<std::string>{"a", "b", "c"});
        CHECK(splitKubeconfigList("").empty());
    }
}
