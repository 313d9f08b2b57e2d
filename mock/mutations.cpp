#include "mutations.hpp"

#include <algorithm>

namespace vod_mock {

const std::vector<MutationInfo>& mutations()
{
    using M = Mutation;
    static const std::vector<MutationInfo> k_all = {
        {M::content_type_text_plain, "content-type-text-plain", {"R1"}, "JSON responses say Content-Type: text/plain"},
        {M::error_envelope_renamed, "error-envelope-renamed", {"R2"}, "errors come as {code, message} instead of {error_code, error_msg}"},
        {M::error_code_empty, "error-code-empty", {"R2"}, "errors carry an empty error_code"},
        {M::auth_not_enforced, "auth-not-enforced", {"S1", "S2"}, "requests without valid credentials are served"},
        {M::auth_any_token, "auth-any-token", {"S2"}, "any X-Auth-Token or signature is accepted, only their absence is refused"},
        {M::auth_401_without_envelope, "auth-401-without-envelope", {"S1", "S2", "R2"}, "401 answers have an empty body"},
        {M::delete_before_auth, "delete-before-auth", {"S1"}, "DeleteAssets deletes, then refuses the unauthenticated request"},
        {M::unpublish_status_201, "unpublish-status-201", {"U1"}, "UnpublishAssets answers 201"},
        {M::unpublish_keeps_published, "unpublish-keeps-published", {"U2"}, "unpublished assets stay PUBLISHED"},
        {M::unpublish_drops_unknown_ids, "unpublish-drops-unknown-ids", {"U3", "U5"}, "nonexistent ids get no entry"},
        {M::unpublish_first_id_only, "unpublish-first-id-only", {"U1", "U3"}, "only the first id of a batch is answered"},
        {M::unpublish_category_id_string, "unpublish-category-id-string", {"U1"}, "base_info.category_id is a string"},
        {M::unpublish_malformed_body_500, "unpublish-malformed-body-500", {"U4"}, "a malformed body gets 500"},
        {M::unpublish_unknown_status_value, "unpublish-unknown-status-value", {"U3", "U5"}, "nonexistent ids get status NOT_EXIST"},
        {M::unpublish_missing_asset_id_200, "unpublish-missing-asset-id-200", {"U4"}, "a body without asset_id gets 200"},
        {M::delete_processing_assets, "delete-processing-assets", {"D3", "D4"}, "assets being processed are deleted"},
        {M::delete_repeated_keys_first_only, "delete-repeated-keys-first-only", {"D2"}, "asset_id=a&asset_id=b deletes only a"},
        {M::delete_comma_list_not_split, "delete-comma-list-not-split", {"D2", "D8"}, "asset_id=a,b is taken as one id"},
        {M::delete_status_removed, "delete-status-removed", {"D1"}, "deleted assets are reported REMOVED"},
        {M::delete_reports_but_keeps, "delete-reports-but-keeps", {"D1"}, "DELETED is reported but the asset stays"},
        {M::delete_unknown_reported_deleted, "delete-unknown-reported-deleted", {"D5"}, "nonexistent ids are reported DELETED"},
        {M::delete_no_batch_limit, "delete-no-batch-limit", {"D7"}, "more than 10 ids are accepted"},
        {M::delete_limit_off_by_one, "delete-limit-off-by-one", {"D1"}, "ten ids, the documented maximum, are refused"},
        {M::delete_missing_asset_id_200, "delete-missing-asset-id-200", {"D6"}, "no asset_id gets 200 with an empty result"},
        {M::delete_comma_space_not_trimmed, "delete-comma-space-not-trimmed", {"D8"}, "asset_id=a, b looks up \" b\""},
        {M::transcode_cancel_running, "transcode-cancel-running", {"T2"}, "a running transcode is cancelled"},
        {M::transcode_cancel_200_with_body, "transcode-cancel-200-with-body", {"T1"}, "a cancelled transcode answers 200 with a body"},
        {M::transcode_cancel_repeatable, "transcode-cancel-repeatable", {"T1"}, "the task stays queued, so a second cancel succeeds too"},
        {M::transcode_cancel_no_task_204, "transcode-cancel-no-task-204", {"T3"}, "an asset without a transcode task answers 204"},
        {M::transcode_wrong_error_code, "transcode-wrong-error-code", {"T1", "T2", "T3"}, "refusals carry VOD.10053 instead of VOD.10083"},
        {M::transcode_unknown_asset_404_plain, "transcode-unknown-asset-404-plain", {"T4", "R2"}, "a nonexistent asset gets a plain-text 404"},
        {M::transcode_missing_param_500, "transcode-missing-param-500", {"T5"}, "no asset_id gets 500"},
        {M::extract_cancel_running, "extract-cancel-running", {"E2"}, "a running audio extraction is cancelled"},
        {M::extract_cancel_200_with_body, "extract-cancel-200-with-body", {"E1"}, "a cancelled extraction answers 200 with a body"},
        {M::extract_cancel_no_task_204, "extract-cancel-no-task-204", {"E3"}, "an asset without an extraction task answers 204"},
        {M::extract_unknown_asset_204, "extract-unknown-asset-204", {"E4"}, "a nonexistent asset answers 204"},
        {M::extract_missing_param_404, "extract-missing-param-404", {"E5"}, "no asset_id gets 404"},
        {M::confirm_echoes_wrong_id, "confirm-echoes-wrong-id", {"C1", "C2"}, "the response's asset_id is not the request's"},
        {M::confirm_rejects_failed_status, "confirm-rejects-failed-status", {"C2"}, "status FAILED is refused"},
        {M::confirm_accepts_any_status, "confirm-accepts-any-status", {"C3"}, "any status value is accepted"},
        {M::confirm_unknown_asset_200, "confirm-unknown-asset-200", {"C4"}, "a nonexistent asset is confirmed"},
        {M::confirm_loses_asset, "confirm-loses-asset", {"C1"}, "a confirmed asset disappears"},
        // The AK/SK verifier's: with a token they change nothing.
        {M::aksk_body_not_signed, "aksk-body-not-signed", {"S3"}, "a signature made without the body is accepted with any body"},
        {M::aksk_stale_date_accepted, "aksk-stale-date-accepted", {"S4"}, "an X-Sdk-Date up to a day from the server time is accepted"},
        {M::aksk_project_header_not_signed, "aksk-project-header-not-signed", {"S3"},
         "X-Project-Id is verified as the path's project, not as sent: a signed X-Project-Id changed after signing is accepted"},
        // Within the contract: drift that conform diff reports, never a failure.
        {M::unpublish_unknown_ids_403, "unpublish-unknown-ids-403", {},
         "only nonexistent ids get 403 VOD.10062 (documented too) instead of 200 NOASSET entries (within the contract)", true},
        {M::unpublish_drops_description, "unpublish-drops-description", {},
         "AssetInfo entries leave out the optional description (within the contract)", true},
        // Caught only by the generated cases (issue 15): the hand-written ones pass them all.
        {M::confirm_status_array_accepted, "confirm-status-array-accepted", {"C3"}, "\"status\": [\"CREATED\"] is taken as CREATED"},
        {M::confirm_body_array_accepted, "confirm-body-array-accepted", {"C3"}, "a body that is an array is taken as its first element"},
        {M::confirm_refusal_still_applies, "confirm-refusal-still-applies", {"C3"},
         "a status with its case changed is refused with 400, but the asset is confirmed all the same"},
        {M::unpublish_nested_ids_flattened, "unpublish-nested-ids-flattened", {"U4"}, "asset_id: [[\"a\"]] unpublishes a"},
        {M::unpublish_empty_id_accepted, "unpublish-empty-id-accepted", {"U6"}, "an empty id in asset_id is answered NOASSET instead of refused"},
        {M::delete_limit_counts_distinct, "delete-limit-counts-distinct", {"D7"}, "eleven ids pass the limit of ten when one repeats"},
        {M::delete_type_unchecked, "delete-type-unchecked", {"D9"}, "any delete_type is accepted, and the assets deleted"},
        {M::transcode_cancel_repeated_id, "transcode-cancel-repeated-id", {"T6"}, "asset_id=a&asset_id=a cancels a's transcode"},
        {M::extract_cancel_refusal_still_applies, "extract-cancel-refusal-still-applies", {"E6"},
         "asset_id given twice is refused with 400, but the extraction is cancelled all the same"},
    };
    return k_all;
}

std::optional<Mutation> find_mutation(std::string_view name)
{
    const auto& all = mutations();
    auto it = std::find_if(all.begin(), all.end(), [&](const MutationInfo& m) { return m.name == name; });
    return it == all.end() ? std::nullopt : std::optional<Mutation>(it->mutation);
}

const MutationInfo& info(Mutation mutation)
{
    const auto& all = mutations();
    return *std::find_if(all.begin(), all.end(), [&](const MutationInfo& m) { return m.mutation == mutation; });
}

}  // namespace vod_mock
