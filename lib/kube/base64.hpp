#pragma once
// Base64 as kubeconfig's *-data fields and ExecCredential cluster info use it (RFC 4648, padded).
#include <optional>
#include <string>
#include <string_view>

namespace shift::kube {

std::string base64Encode(std::string_view bytes);
// nullopt on a character outside the alphabet; whitespace is skipped, padding optional.
std::optional<std::string> base64Decode(std::string_view text);

}  // namespace shift::kube
