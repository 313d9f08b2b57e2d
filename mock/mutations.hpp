// Deliberate deviations from the documents (vod-mock --mutation NAME). Mutation testing runs
// the suite against each and expects it to fail in a case that names one of the rules listed.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace vod_mock {

enum class Mutation {
    none,
    content_type_text_plain,
    error_envelope_renamed,
    error_code_empty,
    auth_not_enforced,
    auth_any_token,
    auth_401_without_envelope,
    delete_before_auth,
    unpublish_status_201,
    unpublish_keeps_published,
    unpublish_drops_unknown_ids,
    unpublish_first_id_only,
    unpublish_category_id_string,
    unpublish_malformed_body_500,
    unpublish_unknown_status_value,
    unpublish_missing_asset_id_200,
    delete_processing_assets,
    delete_repeated_keys_first_only,
    delete_comma_list_not_split,
    delete_status_removed,
    delete_reports_but_keeps,
    delete_unknown_reported_deleted,
    delete_no_batch_limit,
    delete_limit_off_by_one,
    delete_missing_asset_id_200,
    delete_comma_space_not_trimmed,
    transcode_cancel_running,
    transcode_cancel_200_with_body,
    transcode_cancel_repeatable,
    transcode_cancel_no_task_204,
    transcode_wrong_error_code,
    transcode_unknown_asset_404_plain,
    transcode_missing_param_500,
    extract_cancel_running,
    extract_cancel_200_with_body,
    extract_cancel_no_task_204,
    extract_unknown_asset_204,
    extract_missing_param_404,
    confirm_echoes_wrong_id,
    confirm_rejects_failed_status,
    confirm_accepts_any_status,
    confirm_unknown_asset_200,
    confirm_loses_asset,
    // The AK/SK verifier's (they act on signed requests only).
    aksk_body_not_signed,
    aksk_stale_date_accepted,
    aksk_project_header_not_signed,
    // Within the contract (conform diff reports them as drift; the suite passes).
    unpublish_unknown_ids_403,
    unpublish_drops_description,
    // Caught only by the generated cases (issue 15).
    confirm_status_array_accepted,
    confirm_body_array_accepted,
    confirm_refusal_still_applies,
    unpublish_nested_ids_flattened,
    unpublish_empty_id_accepted,
    delete_limit_counts_distinct,
    delete_type_unchecked,
    transcode_cancel_repeated_id,
    extract_cancel_refusal_still_applies,
    // The state query's (the suite uses it to check its premises; it tests no rule).
    list_lies_about_state,
};

struct MutationInfo {
    Mutation mutation;
    std::string name;
    std::vector<std::string> rules;  // the documented rules it breaks
    std::string description;
    // A change the documents allow (another documented alternative, an optional field left
    // out): no case may fail on it, and it has no rules to break.
    bool within_contract = false;
    // Bends the state query the suite checks its premises with (ListAssetList), not an operation
    // under test: no rules; what it must never do is turn a deviation into a pass.
    bool premise_query = false;
};

const std::vector<MutationInfo>& mutations();
std::optional<Mutation> find_mutation(std::string_view name);
const MutationInfo& info(Mutation mutation);

}  // namespace vod_mock
