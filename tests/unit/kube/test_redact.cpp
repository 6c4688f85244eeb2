#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "kube/redact.hpp"

using namespace shift::kube;

TEST_SUITE("kube::redact") {
    TEST_CASE("a URL keeps its shape but not its credentials") {
        CHECK(redactUrl("https://alice:S3cretPW@10.0.0.1:6443") == "https://alice:xxxxx@10.0.0.1:6443");
        CHECK(redactUrl("https://ghp_T0KEN@host/prefix") == "https://xxxxx@host/prefix");
        CHECK(redactUrl("http://bob:p%40ss@proxy:3128/") == "http://bob:xxxxx@proxy:3128/");
        CHECK(redactUrl("https://host:6443/k8s?access_token=abc&region=eu&token=def#frag") ==
              "https://host:6443/k8s?access_token=xxxxx&region=eu&token=xxxxx#frag");
        CHECK(redactUrl("https://host/?X-Amz-Signature=s1g&sig=s2&password=pw&ok=1") ==
              "https://host/?X-Amz-Signature=xxxxx&sig=xxxxx&password=xxxxx&ok=1");
        CHECK(redactUrl("https://host:6443") == "https://host:6443");
        CHECK(redactUrl("https://host/a@b") == "https://host/a@b");  // an @ in the path is no userinfo
        CHECK(redactUrl("proxy.corp:3128") == "proxy.corp:3128");
        CHECK(redactUrl("u:pw@proxy.corp:3128") == "u:xxxxx@proxy.corp:3128");
    }

    TEST_CASE("headers that carry credentials or identities are masked") {
        CHECK(redactHeader("Authorization", "Bearer abc.def") == "Bearer xxxxx");
        CHECK(redactHeader("authorization", "Basic YWxpY2U6cHc=") == "Basic xxxxx");
        CHECK(redactHeader("Proxy-Authorization", "opaque") == "xxxxx");
        CHECK(redactHeader("Cookie", "session=1") == "xxxxx");
        CHECK(redactHeader("set-cookie", "session=1; HttpOnly") == "xxxxx");
        CHECK(redactHeader("Impersonate-User", "jane") == "xxxxx");
        CHECK(redactHeader("Impersonate-Extra-Scopes", "view") == "xxxxx");
        CHECK(redactHeader("Content-Type", "application/json") == "application/json");
    }

    TEST_CASE("bodies lose a Secret's data and any token, password or key field") {
        auto body = nlohmann::json::parse(redactBody(
            R"({"kind":"SecretList","items":[{"kind":"Secret","metadata":{"name":"s"},"data":{"tls.key":"UFJJVg=="},)"
            R"("stringData":{"password":"pw"}}],"status":{"token":"t0k","bearerToken":"b","clientKeyData":"k"},)"
            R"("spec":{"selector":{"matchExpressions":[{"key":"app"}]},"credentialName":"cert"}})"));
        CHECK(body["items"][0]["data"]["tls.key"] == "xxxxx");
        CHECK(body["items"][0]["stringData"]["password"] == "xxxxx");
        CHECK(body["items"][0]["metadata"]["name"] == "s");
        CHECK(body["status"]["token"] == "xxxxx");
        CHECK(body["status"]["bearerToken"] == "xxxxx");
        CHECK(body["status"]["clientKeyData"] == "xxxxx");
        CHECK(body["spec"]["selector"]["matchExpressions"][0]["key"] == "app");
        CHECK(body["spec"]["credentialName"] == "cert");
        CHECK(redactBody("<html>token=abc</html>") == "(22 bytes, not JSON)");
    }
}
