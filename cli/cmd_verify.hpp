#pragma once
// `shift verify NAME [--window 1m] [--tolerance 5] [--wait DURATION]`: the split the route asks for
// beside the split the mesh's clients observe in Prometheus (Istio's reporter="source" metrics), so a
// change that did not take effect (Envoy config not pushed, a client bypassing the route) shows.
#include <string>
#include <vector>

#include "command.hpp"
#include "prometheus.hpp"

namespace shift::cli {

struct VerifyFlags {
    std::string name;
    std::string window = "1m", wait = "0";
    double tolerance = 5;
    std::vector<std::string> routes;
    PrometheusFlags prometheus;
};

class VerifyCommand : public Command {
   public:
    void declare(CLI::App& app) override;
    Status complete(const Globals& globals) override;
    Status validate() const override;
    int run(const Globals& globals) override;
    Candidates completeArgs(const completion::Scope& scope, const std::vector<std::string>& args,
                            const std::string& current) const override;

    VerifyFlags flags;
    core::Duration window{}, wait{};  // filled by complete()
};

}  // namespace shift::cli
