#pragma once
// Builds a core::Mesh for the core tests from YAML text holding Services, ServiceEntries and
// DestinationRules (the text must outlive the mesh: keep the Stream).
#include "core/mesh.hpp"
#include "helpers.hpp"

namespace shift::test {

struct MeshFixture {
    doc::Stream stream;
    core::Mesh mesh;
    explicit MeshFixture(const std::string& text) : stream(yaml(text)) {
        core::collectKind(stream, "Service", mesh.services);
        core::collectKind(stream, "ServiceEntry", mesh.serviceEntries);
        core::collectKind(stream, "DestinationRule", mesh.destinationRules);
    }
};

inline std::string service(const std::string& name, const std::string& ns, const std::string& extra = "") {
    return "---\napiVersion: v1\nkind: Service\nmetadata: {name: " + name + ", namespace: " + ns + extra +
           "}\nspec: {ports: [{port: 9080}]}\n";
}

inline std::string rule(const std::string& name, const std::string& ns, const std::string& host,
                        const std::string& subsets, const std::string& exportTo = "") {
    return "---\napiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata: {name: " + name +
           ", namespace: " + ns + "}\nspec:\n  host: \"" + host + "\"\n" +
           (exportTo.empty() ? "" : "  exportTo: " + exportTo + "\n") + "  subsets: " + subsets + "\n";
}

}  // namespace shift::test
