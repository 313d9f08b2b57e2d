# What the install holds besides the programs and the contract: the CMake package
# (find_package(VodConformance)) and the README; and the Debian package of it all
# (cmake --build build --target package). Depends is computed from the binaries by dpkg-shlibdeps
# (Debian package dpkg-dev).
include(CMakePackageConfigHelpers)
set(cmake_package_dir ${CMAKE_INSTALL_DATADIR}/cmake/VodConformance)
configure_package_config_file(cmake/VodConformanceConfig.cmake.in ${CMAKE_BINARY_DIR}/VodConformanceConfig.cmake
                              INSTALL_DESTINATION ${cmake_package_dir}
                              PATH_VARS CMAKE_INSTALL_BINDIR CONFORM_INSTALL_DATADIR)
write_basic_package_version_file(${CMAKE_BINARY_DIR}/VodConformanceConfigVersion.cmake COMPATIBILITY SameMinorVersion)
install(FILES ${CMAKE_BINARY_DIR}/VodConformanceConfig.cmake ${CMAKE_BINARY_DIR}/VodConformanceConfigVersion.cmake
              cmake/VodConformanceTests.cmake cmake/vod-mock-fixture.sh
        DESTINATION ${cmake_package_dir})
install(FILES README.md DESTINATION ${CMAKE_INSTALL_DATADIR}/doc/vod-conformance)

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME vod-conformance)
set(CPACK_PACKAGE_VENDOR "VOD conformance suite")
set(CPACK_PACKAGE_CONTACT "VOD conformance suite maintainers <vod-conformance@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
    "Conformance suite for the Huawei Cloud VOD media-asset API (conform) and its reference mock (vod-mock)")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION devel)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
include(CPack)
