#include <doctest/doctest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "../temp_dir.hpp"
#include "kube/exec.hpp"

using namespace shift::kube;
using namespace std::chrono_literals;

namespace {

const std::string kV1 = "client.authentication.k8s.io/v1";
const std::string kV1beta1 = "client.authentication.k8s.io/v1beta1";

std::string credential(const std::string& apiVersion, const std::string& status) {
    return R"({"kind":"ExecCredential","apiVersion":")" + apiVersion + R"(","status":)" + status + "}";
}

// A plugin that records its args, chosen env and KUBERNETES_EXEC_INFO, counts its runs, and prints
// a token that expires at $EXPIRES.
const char* kPlugin = R"(#!/bin/sh
dir=$(dirname "$0")
echo "$@" > "$dir/args"
echo "$PROFILE" > "$dir/profile"
printf '%s' "$KUBERNETES_EXEC_INFO" > "$dir/info"
echo run >> "$dir/runs"
n=$(wc -l < "$dir/runs" | tr -d ' ')
printf '{"kind":"ExecCredential","apiVersion":"client.authentication.k8s.io/v1","status":{"token":"tok-%s","expirationTimestamp":"%s"}}' "$n" "$EXPIRES"
)";

std::string slurp(const std::string& path) {
    std::ifstream in(path);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

}  // namespace

TEST_SUITE("kube::exec") {
    TEST_CASE("parses v1 and v1beta1 credentials") {
        auto r = parseExecCredential(
            credential(kV1, R"({"token":"t","expirationTimestamp":"2030-01-02T03:04:05Z"})"), kV1, "p");
        REQUIRE(r.ok());
        CHECK(r->token == "t");
        REQUIRE(r->expiration);
        CHECK(Clock::to_time_t(*r->expiration) == 1893553445);

        r = parseExecCredential(
            credential(kV1beta1, R"({"clientCertificateData":"CERT","clientKeyData":"KEY"})"), kV1beta1, "p");
        REQUIRE(r.ok());
        CHECK(r->clientCertificateData == "CERT");
        CHECK(r->clientKeyData == "KEY");
        CHECK_FALSE(r->expiration);
    }

    TEST_CASE("rejects what client-go rejects, without quoting the output") {
        auto err = [](const std::string& out, const std::string& version = kV1) {
            auto r = parseExecCredential(out, version, "get-token");
            REQUIRE_FALSE(r.ok());
            CHECK(r.error().exit == shift::kExitApi);
            return r.error().message;
        };
        CHECK(err(credential(kV1beta1, R"({"token":"t"})")) ==
              "exec plugin \"get-token\" is configured to use API version " + kV1 +
                  ", plugin returned version " + kV1beta1);
        CHECK(err(R"({"kind":"ExecCredential","apiVersion":")" + kV1 + "\"}") ==
              "exec plugin \"get-token\" didn't return a status field");
        CHECK(err(credential(kV1, "{}")) ==
              "exec plugin \"get-token\" didn't return a token or cert/key pair");
        CHECK(err(credential(kV1, R"({"clientKeyData":"K"})")) ==
              "exec plugin \"get-token\" returned only certificate or key, not both");
        CHECK(err(credential(kV1, R"({"token":"t","expirationTimestamp":"tomorrow"})"))
                  .find("invalid expirationTimestamp") != std::string::npos);
        std::string msg = err("secret-token-printed-by-mistake");
        CHECK(msg == "exec plugin \"get-token\" did not print an ExecCredential on stdout");
    }

    TEST_CASE("RFC 3339 with fractions and offsets") {
        auto base = parseRfc3339("2024-05-01T10:00:00Z");
        REQUIRE(base);
        CHECK(parseRfc3339("2024-05-01T12:00:00+02:00") == base);
        CHECK(parseRfc3339("2024-05-01T09:30:00-00:30") == base);
        CHECK(*parseRfc3339("2024-05-01T10:00:00.5Z") - *base == 500ms);
        CHECK(parseRfc3339("2999-01-01T00:00:00Z") == Clock::time_point::max());
        CHECK_FALSE(parseRfc3339("2024-05-01 10:00:00"));
        CHECK_FALSE(parseRfc3339("2024-05-01T10:00:00"));
        CHECK_FALSE(parseRfc3339("2024-05-01T10:00:00Zjunk"));
    }

    TEST_CASE("KUBERNETES_EXEC_INFO carries spec.interactive, and spec.cluster only when asked") {
        ExecConfig c;
        c.apiVersion = kV1;
        auto doc = nlohmann::json::parse(execInfoJson(c, nullptr, true));
        CHECK(doc["kind"] == "ExecCredential");
        CHECK(doc["apiVersion"] == kV1);
        CHECK(doc["spec"]["interactive"] == true);
        CHECK_FALSE(doc["spec"].contains("cluster"));

        ExecClusterInfo info{"https://k:6443", "api.internal", "", false, "PEM", R"({"audience":"kube"})"};
        doc = nlohmann::json::parse(execInfoJson(c, &info, false));
        const auto& cl = doc["spec"]["cluster"];
        CHECK(cl["server"] == "https://k:6443");
        CHECK(cl["tls-server-name"] == "api.internal");
        CHECK(cl["certificate-authority-data"] == "UEVN");
        CHECK(cl["config"]["audience"] == "kube");
        CHECK_FALSE(cl.contains("proxy-url"));
        CHECK_FALSE(cl.contains("insecure-skip-tls-verify"));
    }

    TEST_CASE("interactiveMode") {
        CHECK(execInteractive("Never", true).value() == false);
        CHECK(execInteractive("IfAvailable", true).value() == true);
        CHECK(execInteractive("IfAvailable", false).value() == false);
        CHECK(execInteractive("Always", true).value() == true);
        auto r = execInteractive("Always", false);
        REQUIRE_FALSE(r.ok());
        CHECK(r.error().message ==
              "exec plugin cannot support interactive mode: standard input is not a terminal");
    }

    TEST_CASE("runs a plugin with its args, env and KUBERNETES_EXEC_INFO, and caches until expiry") {
        TempDir dir;
        ExecConfig c;
        c.command = dir.write("plugin.sh", kPlugin, true);
        c.args = {"--cluster", "dev"};
        c.apiVersion = kV1;
        c.interactiveMode = "Never";
        c.provideClusterInfo = true;
        c.env = {{"PROFILE", "staging"}, {"EXPIRES", "2200-01-01T00:00:00Z"}};

        ExecAuthenticator auth(c, ExecClusterInfo{"https://k:6443", "", "", false, "", ""});
        auth.stdinIsTerminal = [] { return false; };
        auto cred = auth.credential();
        REQUIRE_MESSAGE(cred.ok(), (cred.ok() ? "" : cred.error().message));
        CHECK(cred->token == "tok-1");
        CHECK(slurp(dir / "args") == "--cluster dev\n");
        CHECK(slurp(dir / "profile") == "staging\n");
        auto info = nlohmann::json::parse(slurp(dir / "info"));
        CHECK(info["spec"]["cluster"]["server"] == "https://k:6443");
        CHECK(info["spec"]["interactive"] == false);

        CHECK(auth.credential()->token == "tok-1");  // cached
        CHECK(auth.runs() == 1);
        CHECK(auth.refresh()->token == "tok-2");  // after a 401
        CHECK(auth.runs() == 2);

        SUBCASE("an expired credential is fetched again") {
            auth.now = [] { return Clock::now() + std::chrono::hours(24 * 365 * 200); };
            CHECK(auth.credential()->token == "tok-3");
        }
        SUBCASE("without provideClusterInfo, no spec.cluster") {
            c.provideClusterInfo = false;
            ExecAuthenticator plain(c, ExecClusterInfo{"https://k:6443", "", "", false, "", ""});
            plain.stdinIsTerminal = [] { return false; };
            REQUIRE(plain.credential().ok());
            CHECK_FALSE(nlohmann::json::parse(slurp(dir / "info"))["spec"].contains("cluster"));
        }
    }

    TEST_CASE("a failing plugin is named without its install hint, and its output is never shown") {
        TempDir dir;
        ExecConfig c;
        c.apiVersion = kV1;
        c.interactiveMode = "Never";
        c.installHint = "Install get-token:\n  brew install get-token\n";
        c.command = dir.write("fail.sh", "#!/bin/sh\necho secret-output\nexit 3\n", true);
        auto r = runExecPlugin(c, "{}", false);
        REQUIRE_FALSE(r.ok());
        // It is installed and ran: the hint (how to install it) would mislead, as kubectl knows.
        CHECK(r.error().message == "exec plugin \"" + c.command + "\" failed with exit code 3");
        CHECK(r.error().exit == shift::kExitApi);

        c.command = dir.write("not-executable.sh", "#!/bin/sh\nexit 0\n", false);
        r = runExecPlugin(c, "{}", false);
        REQUIRE_FALSE(r.ok());
        CHECK(r.error().message == "cannot run exec plugin \"" + c.command +
                                       "\": Permission denied; Install get-token: brew install get-token");

        c.command = "shift-no-such-plugin";
        r = runExecPlugin(c, "{}", false);
        REQUIRE_FALSE(r.ok());
        CHECK(r.error().message ==
              "exec plugin \"shift-no-such-plugin\" not found; Install get-token: brew install get-token");
        c.installHint.clear();
        CHECK(runExecPlugin(c, "{}", false).error().message.find("client-go-credential-plugins") !=
              std::string::npos);
    }

    TEST_CASE("a plugin that hangs is stopped after the timeout, with what it started") {
        TempDir dir;
        ExecConfig c;
        c.apiVersion = kV1;
        c.interactiveMode = "Never";
        // The script's child holds stdout open: killing only the script would leave the read blocked.
        c.command = dir.write("hang.sh", "#!/bin/sh\necho partial\nsleep 30 &\nwait\n", true);
        auto t0 = std::chrono::steady_clock::now();
        auto r = runExecPlugin(c, "{}", false, 0.3);
        auto took = std::chrono::steady_clock::now() - t0;
        REQUIRE_FALSE(r.ok());
        CHECK(r.error().message ==
              "exec plugin \"" + c.command +
                  "\" did not finish within 0.3s and was stopped; run it by hand to see why, "
                  "or raise --request-timeout");
        CHECK(r.error().exit == shift::kExitApi);
        CHECK(took < std::chrono::seconds(5));

        SUBCASE("an interactive plugin is given no limit by the authenticator") {
            c.command = dir.write("slow.sh",
                                  "#!/bin/sh\nsleep 0.5\necho '{\"apiVersion\":\"" + std::string(kV1) +
                                      "\",\"kind\":\"ExecCredential\",\"status\":{\"token\":\"t\"}}'\n",
                                  true);
            c.interactiveMode = "IfAvailable";
            ExecAuthenticator auth(c, std::nullopt);
            auth.timeoutSeconds = 0.1;
            auth.stdinIsTerminal = [] { return true; };
            auto cred = auth.credential();
            REQUIRE_MESSAGE(cred.ok(), (cred.ok() ? "" : cred.error().message));
            auth.stdinIsTerminal = [] { return false; };
            CHECK_FALSE(auth.refresh().ok());  // the same plugin without a terminal: stopped at 0.1s
        }
    }
}
