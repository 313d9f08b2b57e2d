# One ctest test per conformance case, read from the case files at configure time
# (CONFIGURE_DEPENDS: adding a case re-runs the configure step on the next build).
function(conform_add_case_tests cases_dir)
  file(GLOB_RECURSE case_files CONFIGURE_DEPENDS ${cases_dir}/*.json)
  foreach(file IN LISTS case_files)
    file(READ ${file} text)
    string(JSON id ERROR_VARIABLE id_error GET "${text}" id)
    string(JSON operation ERROR_VARIABLE op_error GET "${text}" operation)
    string(JSON level ERROR_VARIABLE level_error GET "${text}" level)
    if(id_error OR op_error OR level_error)
      message(WARNING "${file}: not a readable case (conform lint says why); no ctest test for it")
      continue()
    endif()
    # A case that tampers with a signed request applies to AK/SK credentials only.
    string(FIND "${text}" "\"tamper\"" tamper)
    set(credentials "")
    if(NOT tamper EQUAL -1)
      set(credentials --ak CONFORMCASEAK0000000 --sk conform-case-secret-key-0123456789)
    endif()
    add_test(NAME "case: ${id}"
             COMMAND conform run --mock --case ${id} --jobs 1 ${credentials} --junit ${CMAKE_BINARY_DIR}/reports/cases/${id}.xml)
    set_tests_properties("case: ${id}" PROPERTIES LABELS "conformance;${operation};${level}")
  endforeach()
endfunction()
