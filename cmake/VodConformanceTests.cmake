# vod_conformance_add_tests() and vod_conformance_add_mock(): the conformance cases as ctest tests,
# one per case, in this project (cmake/case_tests.cmake) and in any project that finds the
# installed package (find_package(VodConformance), README "Use it in CI").
include_guard(GLOBAL)

# vod_conformance_add_tests(ENDPOINT <url> (FIXTURES <file> | PROVISION) | MOCK
#                           [CASES <id>...] [LABELS <label>...] [TOKEN_ENV <var>] [PROJECT_ID <id>]
#                           [TEST_PREFIX <text>]
#                           [JUNIT_DIR <dir>] [EXTRA_ARGS <arg>...] [PROPERTIES <name> <value>...]
#                           [CONFORM <target or path>] [CASES_DIR <dir>] [SCHEMAS_DIR <dir>])
# Registers one test per case file (the case id, after TEST_PREFIX, is the test name), labelled
# with the case's operation and level and LABELS, each running `conform run --case <id>` with its
# own JUnit report in JUNIT_DIR (default: vod-conformance-reports/ in the current binary folder).
#   ENDPOINT, FIXTURES  the endpoint and its fixtures file (the ids' ledger beside it keeps the
#                       assets one test consumed from the next)
#   PROVISION           conform provisions its fixtures on the endpoint (`conform run --provision`)
#   MOCK                the vod-mock beside conform, one per test (as this project's case tests)
#   TOKEN_ENV           the variable holding the IAM token when the test runs (not when it is
#                       configured: it stays out of the build tree); without it conform reads
#                       CONFORM_TOKEN, or HUAWEICLOUD_SDK_AK / HUAWEICLOUD_SDK_SK
#   PROJECT_ID          the project the requests go to (`--project-id`); without it, the
#                       HUAWEICLOUD_SDK_PROJECT_ID of the test's environment or, with FIXTURES,
#                       the fixtures file's project_id
#   CASES               only these cases (an unknown id is an error)
# A case conform skips (its fixtures are missing or used up, it does not apply to the credentials),
# warns about (a SHOULD deviation), or could not prove (its fixture's state moved on before it ran:
# premise lost; or inconclusive) is reported skipped by ctest, neither passed nor failed.
function(vod_conformance_add_tests)
  cmake_parse_arguments(PARSE_ARGV 0 arg "MOCK;PROVISION"
                        "ENDPOINT;FIXTURES;TOKEN_ENV;PROJECT_ID;TEST_PREFIX;JUNIT_DIR;CONFORM;CASES_DIR;SCHEMAS_DIR"
                        "CASES;LABELS;EXTRA_ARGS;PROPERTIES")
  if(arg_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR "vod_conformance_add_tests: unknown arguments ${arg_UNPARSED_ARGUMENTS}")
  endif()
  foreach(default IN ITEMS CONFORM CASES_DIR SCHEMAS_DIR)
    if(NOT arg_${default})
      if(NOT VodConformance_${default})
        message(FATAL_ERROR "vod_conformance_add_tests: no ${default} given and none found (find_package(VodConformance))")
      endif()
      set(arg_${default} ${VodConformance_${default}})
    endif()
  endforeach()
  if(TARGET ${arg_CONFORM})
    set(arg_CONFORM $<TARGET_FILE:${arg_CONFORM}>)
  endif()
  if(NOT arg_JUNIT_DIR)
    set(arg_JUNIT_DIR ${CMAKE_CURRENT_BINARY_DIR}/vod-conformance-reports)
  endif()

  if(arg_MOCK)
    if(arg_ENDPOINT OR arg_FIXTURES OR arg_PROVISION)
      message(FATAL_ERROR "vod_conformance_add_tests: MOCK takes no ENDPOINT, FIXTURES or PROVISION")
    endif()
    set(target --mock)
  elseif(arg_ENDPOINT AND (arg_FIXTURES AND NOT arg_PROVISION))
    set(target --base-url ${arg_ENDPOINT} --fixtures ${arg_FIXTURES})
  elseif(arg_ENDPOINT AND (arg_PROVISION AND NOT arg_FIXTURES))
    set(target --base-url ${arg_ENDPOINT} --provision)
  else()
    message(FATAL_ERROR "vod_conformance_add_tests: give ENDPOINT <url> with FIXTURES <file> or PROVISION, or MOCK")
  endif()
  if(arg_PROJECT_ID)
    list(APPEND target --project-id ${arg_PROJECT_ID})
  endif()

  # The token is read when the test runs, from the variable TOKEN_ENV names.
  set(launcher "")
  if(arg_TOKEN_ENV)
    if(NOT arg_TOKEN_ENV MATCHES "^[A-Za-z_][A-Za-z0-9_]*$")
      message(FATAL_ERROR "vod_conformance_add_tests: TOKEN_ENV '${arg_TOKEN_ENV}' is not a variable name")
    endif()
    # (no semicolon in the script: it would split the CMake list)
    set(launcher sh -c "CONFORM_TOKEN=\"\${${arg_TOKEN_ENV}:?is empty or unset: it should hold the token}\" exec \"\$0\" \"\$@\"")
  endif()

  file(GLOB_RECURSE case_files CONFIGURE_DEPENDS ${arg_CASES_DIR}/*.json)
  set(unknown ${arg_CASES})
  foreach(file IN LISTS case_files)
    file(READ ${file} text)
    string(JSON id ERROR_VARIABLE id_error GET "${text}" id)
    string(JSON operation ERROR_VARIABLE op_error GET "${text}" operation)
    string(JSON level ERROR_VARIABLE level_error GET "${text}" level)
    if(id_error OR op_error OR level_error)
      message(WARNING "${file}: not a readable case (conform lint says why); no ctest test for it")
      continue()
    endif()
    if(arg_CASES AND NOT id IN_LIST arg_CASES)
      continue()
    endif()
    list(REMOVE_ITEM unknown ${id})
    # Against the mock, a case that tampers with a signed request needs AK/SK credentials to apply.
    set(credentials "")
    string(FIND "${text}" "\"tamper\"" tamper)
    if(arg_MOCK AND NOT tamper EQUAL -1)
      set(credentials --ak CONFORMCASEAK0000000 --sk conform-case-secret-key-0123456789)
    endif()
    set(name "${arg_TEST_PREFIX}${id}")
    add_test(NAME "${name}"
             COMMAND ${launcher} ${arg_CONFORM} run ${target} --case ${id} --jobs 1 --schemas ${arg_SCHEMAS_DIR}
                     --cases ${arg_CASES_DIR} ${credentials} --junit ${arg_JUNIT_DIR}/${id}.xml ${arg_EXTRA_ARGS})
    set(labels ${arg_LABELS} ${operation} ${level})
    set_tests_properties("${name}" PROPERTIES LABELS "${labels}"
                         SKIP_REGULAR_EXPRESSION "(SKIP |WARN |LOST |INCON) ${id} " ${arg_PROPERTIES})
  endforeach()
  if(unknown)
    message(FATAL_ERROR "vod_conformance_add_tests: no case file in ${arg_CASES_DIR} has the id ${unknown}")
  endif()
endfunction()

# vod_conformance_add_mock(<fixture> PORT <port> FIXTURES_OUT <file> [TOKEN_ENV <var>] [SEED <n>]
#                          [ARGS <vod-mock argument>...] [MOCK <target or path>])
# Registers two tests, "<fixture>: start vod-mock" (FIXTURES_SETUP <fixture>) and
# "<fixture>: stop vod-mock" (FIXTURES_CLEANUP <fixture>): a vod-mock on 127.0.0.1:<port> with SEED
# assets of every kind (default 20) listed in FIXTURES_OUT, for tests with FIXTURES_REQUIRED
# <fixture> (vod_conformance_add_tests(... PROPERTIES FIXTURES_REQUIRED <fixture>)). It accepts the
# token in TOKEN_ENV when the tests run.
function(vod_conformance_add_mock fixture)
  cmake_parse_arguments(PARSE_ARGV 1 arg "" "PORT;FIXTURES_OUT;TOKEN_ENV;SEED;MOCK" "ARGS")
  if(arg_UNPARSED_ARGUMENTS OR NOT arg_PORT OR NOT arg_FIXTURES_OUT)
    message(FATAL_ERROR "vod_conformance_add_mock(<fixture> PORT <port> FIXTURES_OUT <file> ...): "
                        "PORT and FIXTURES_OUT are needed; unknown: ${arg_UNPARSED_ARGUMENTS}")
  endif()
  if(NOT arg_MOCK)
    set(arg_MOCK ${VodConformance_MOCK})
  endif()
  if(TARGET ${arg_MOCK})
    set(arg_MOCK $<TARGET_FILE:${arg_MOCK}>)
  endif()
  if(NOT DEFINED arg_SEED)
    set(arg_SEED 20)
  endif()
  set(script ${CMAKE_CURRENT_FUNCTION_LIST_DIR}/vod-mock-fixture.sh)
  set(pid_file ${CMAKE_CURRENT_BINARY_DIR}/${fixture}.vod-mock.pid)
  add_test(NAME "${fixture}: start vod-mock"
           COMMAND sh ${script} start ${pid_file} "${arg_TOKEN_ENV}" ${arg_MOCK} --host 127.0.0.1 --port ${arg_PORT}
                   --seed ${arg_SEED} --fixtures-out ${arg_FIXTURES_OUT} ${arg_ARGS})
  add_test(NAME "${fixture}: stop vod-mock" COMMAND sh ${script} stop ${pid_file})
  set_tests_properties("${fixture}: start vod-mock" PROPERTIES FIXTURES_SETUP ${fixture})
  set_tests_properties("${fixture}: stop vod-mock" PROPERTIES FIXTURES_CLEANUP ${fixture})
endfunction()
