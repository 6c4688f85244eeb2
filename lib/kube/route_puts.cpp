// Several PUTs of route objects together (Api::putRoutes), each answered as Api::putRoute's.
#include "kube/istio_api.hpp"

namespace shift::kube {

Api::PutAnswers Api::putRoutes(const std::vector<Put>& puts, const std::function<bool()>& stopped) {
    std::vector<Call> calls;
    for (const Put& put : puts) calls.push_back(Call{"PUT", putPath(put), put.json});
    PutAnswers out(puts.size());
    // One after another, each answer is judged as it comes (its check GET included, as putRoute
    // does), so that the first failure can stop the rest.
    auto stopAfter = [&](std::size_t i, const Result<Response>& r) {
        out[i] = putAnswer(puts[i], calls[i].path, r);
        return stopped && (!*out[i] || stopped());
    };
    Answers answers = client_.requestMany(calls, stopAfter);
    for (std::size_t i = 0; i < puts.size(); ++i)
        if (!out[i] && answers[i]) out[i] = putAnswer(puts[i], calls[i].path, std::move(*answers[i]));
    return out;
}

}  // namespace shift::kube
