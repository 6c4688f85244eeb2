# Embedding of the completion scripts, install rules and packages (DEB and TGZ).
#   cmake --install build --prefix /usr/local          (DESTDIR=... honoured)
#   cpack --config build/CPackConfig.cmake -G "DEB;TGZ"
include(GNUInstallDirs)

# --- completion scripts, printed by `shift completion SHELL` ---------------------------------------
set(SHIFT_COMPLETIONS ${CMAKE_CURRENT_SOURCE_DIR}/completions)
set(SHIFT_GENERATED ${CMAKE_CURRENT_BINARY_DIR}/generated)
add_custom_command(
  OUTPUT ${SHIFT_GENERATED}/completion_scripts.hpp
  COMMAND ${CMAKE_COMMAND} -DOUT=${SHIFT_GENERATED}/completion_scripts.hpp
          -DBASH=${SHIFT_COMPLETIONS}/shift.bash -DZSH=${SHIFT_COMPLETIONS}/_shift
          -DFISH=${SHIFT_COMPLETIONS}/shift.fish -P ${CMAKE_CURRENT_LIST_DIR}/embed_completions.cmake
  DEPENDS ${SHIFT_COMPLETIONS}/shift.bash ${SHIFT_COMPLETIONS}/_shift ${SHIFT_COMPLETIONS}/shift.fish
          ${CMAKE_CURRENT_LIST_DIR}/embed_completions.cmake
  COMMENT "Embedding the shell completion scripts")
add_custom_target(shift_completion_scripts DEPENDS ${SHIFT_GENERATED}/completion_scripts.hpp)
add_dependencies(shift_cli shift_completion_scripts)
target_include_directories(shift_cli PRIVATE ${SHIFT_GENERATED})

# --- install ---------------------------------------------------------------------------------------
install(TARGETS shift RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
# kubectl finds plugins as kubectl-NAME on PATH; a relative link keeps DESTDIR and relocation working.
install(CODE "
  set(bindir \"\$ENV{DESTDIR}\${CMAKE_INSTALL_PREFIX}/${CMAKE_INSTALL_BINDIR}\")
  if(IS_ABSOLUTE \"${CMAKE_INSTALL_BINDIR}\")
    set(bindir \"\$ENV{DESTDIR}${CMAKE_INSTALL_BINDIR}\")
  endif()
  message(STATUS \"Installing: \${bindir}/kubectl-shift -> shift\")
  file(CREATE_LINK shift \"\${bindir}/kubectl-shift\" SYMBOLIC)
  list(APPEND CMAKE_INSTALL_MANIFEST_FILES \"\${bindir}/kubectl-shift\")
")
# kubectl 1.26+ runs kubectl_complete-NAME ARGS... CURRENT for `kubectl NAME <TAB>`.
install(PROGRAMS ${CMAKE_CURRENT_SOURCE_DIR}/plugins/kubectl_complete-shift DESTINATION ${CMAKE_INSTALL_BINDIR})
install(FILES ${SHIFT_COMPLETIONS}/shift.bash DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions
        RENAME shift)
install(FILES ${SHIFT_COMPLETIONS}/_shift DESTINATION ${CMAKE_INSTALL_DATADIR}/zsh/site-functions)
install(FILES ${SHIFT_COMPLETIONS}/shift.fish DESTINATION ${CMAKE_INSTALL_DATADIR}/fish/vendor_completions.d)
install(FILES ${CMAKE_CURRENT_SOURCE_DIR}/man/shift.1 DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)

# --- packages --------------------------------------------------------------------------------------
set(CPACK_PACKAGE_NAME shift)
set(CPACK_PACKAGE_VENDOR "shift")
set(CPACK_PACKAGE_CONTACT "shift maintainers <shift@example.invalid>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "${PROJECT_DESCRIPTION}")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_GENERATOR "DEB;TGZ")
set(CPACK_STRIP_FILES ON)
set(CPACK_PACKAGE_FILE_NAME "shift-${PROJECT_VERSION}-${CMAKE_SYSTEM_NAME}-${CMAKE_SYSTEM_PROCESSOR}")
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION admin)
set(CPACK_DEBIAN_PACKAGE_HOMEPAGE "https://github.com/shift/shift")
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION "shift reads an Istio VirtualService from the cluster (or from files), computes
a new traffic split between the versions of a service, shows the diff and
applies it. Installed as kubectl-shift, it runs as `kubectl shift`.")
# dpkg-shlibdeps derives Depends from the linked libraries (libyaml-0-2, libc6); where it is
# missing, the Debian 12 names of the libraries shift links. libcurl4 is named always: shift loads
# it with dlopen when it first talks to a cluster, which dpkg-shlibdeps cannot see.
find_program(SHIFT_DPKG_SHLIBDEPS dpkg-shlibdeps)
if(SHIFT_DPKG_SHLIBDEPS)
  set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
  set(CPACK_DEBIAN_PACKAGE_DEPENDS "libcurl4 (>= 7.71)")
else()
  set(CPACK_DEBIAN_PACKAGE_DEPENDS
      "libc6 (>= 2.34), libyaml-0-2, libcurl4 (>= 7.71)")
endif()
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "kubectl, bash-completion")
include(CPack)
