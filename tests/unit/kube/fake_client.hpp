#pragma once
// A Client that answers from a script and records what was asked.
#include <deque>
#include <string>
#include <vector>

#include "kube/client.hpp"

struct FakeClient final : shift::kube::Client {
    struct Call {
        std::string method, path, body;
    };
    std::deque<shift::Result<shift::kube::Response>> answers;
    std::vector<Call> calls;

    shift::Result<shift::kube::Response> request(std::string_view method, const std::string& path,
                                                 const std::string& body) override {
        calls.push_back({std::string(method), path, body});
        if (answers.empty())
            return shift::fail("FakeClient: no answer scripted for " + path, shift::kExitApi);
        auto r = answers.front();
        answers.pop_front();
        return r;
    }

    FakeClient& json(long status, std::string body) {
        shift::kube::Response r;
        r.status = status;
        r.body = std::move(body);
        r.contentType = "application/json";
        answers.push_back(r);
        return *this;
    }
    FakeClient& text(long status, std::string body) {
        shift::kube::Response r;
        r.status = status;
        r.body = std::move(body);
        r.contentType = "text/plain; charset=utf-8";
        answers.push_back(r);
        return *this;
    }
    // kube-apiserver's answer for a group version it does not serve.
    FakeClient& unserved() { return text(404, "404 page not found\n"); }
    FakeClient& status(long code, const std::string& reason, const std::string& message,
                       const std::string& details = "{}") {
        return json(code, R"({"kind":"Status","apiVersion":"v1","status":"Failure","code":)" +
                              std::to_string(code) + R"(,"reason":")" + reason + R"(","message":")" +
                              message + R"(","details":)" + details + "}");
    }
};

inline std::string vsList(const std::vector<std::string>& names) {
    std::string items;
    for (const auto& n : names)
        items += (items.empty() ? "" : ",") + std::string(R"({"metadata":{"name":")") + n + "\"}}";
    return R"({"kind":"VirtualServiceList","items":[)" + items + "]}";
}
