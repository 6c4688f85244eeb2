#pragma once
// Everything the command line says, filled by main.cpp and read by the runs.
#include <string>
#include <vector>

#include "core/shift.hpp"
#include "kube/config.hpp"
#include "term/color.hpp"

namespace shift::cli {

struct Options {
    std::string name;                  // VirtualService name
    std::vector<std::string> weights;  // KEY=WEIGHT arguments
    std::string filename;              // -f: file, directory or "-"; empty for the cluster
    bool inPlace = false;
    bool recursive = false;  // -R: read -f DIR's subdirectories too
    std::string output;      // -o: "", "yaml" or "json"
    bool diff = false;
    std::string dryRun = "none";  // none | client | server
    bool exitCode = false;
    bool noValidate = false;  // --no-validate: skip the subset check
    core::ShiftOptions shift;
    term::ColorMode color = term::ColorMode::Auto;
    int verbosity = 0;
    kube::ConfigFlags cluster;  // -n, --context, --kubeconfig, --request-timeout, --as...
};

// Each run returns the process exit code and prints its own messages.
int runFiles(const Options& options);
int runCluster(const Options& options);

}  // namespace shift::cli
