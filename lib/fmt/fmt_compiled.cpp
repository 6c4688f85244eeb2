// libfmt's implementation, compiled once for the whole project. Debian ships libfmt only as a shared
// library (a run would map all of it) or as headers; header-only mode compiled and optimised the
// implementation again in every file that formats (about 5 s of each file's compile time at -O3, most
// of a build). Here format-inl.h defines the non-template functions, and the templates that
// format.h declares but does not define (declared `extern template`, or defined only in
// format-inl.h) are instantiated for char, the only character type shift formats.
#include <fmt/format-inl.h>

FMT_BEGIN_NAMESPACE
namespace detail {

template auto dragonbox::to_decimal(float x) noexcept -> dragonbox::decimal_fp<float>;
template auto dragonbox::to_decimal(double x) noexcept -> dragonbox::decimal_fp<double>;
template locale_ref::locale_ref(const std::locale& loc);
template auto locale_ref::get<std::locale>() const -> std::locale;
template auto thousands_sep_impl(locale_ref) -> thousands_sep_result<char>;
template auto decimal_point_impl(locale_ref) -> char;

}  // namespace detail
FMT_END_NAMESPACE
