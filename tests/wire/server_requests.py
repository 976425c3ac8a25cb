"""The names the server reads, per route: what a request body or query may carry without
being silently dropped. Read from the server's source (semaphoreio/semaphore@2bf23f5).

Names are dotted paths: ``a.b`` inside an object, ``a[].b`` inside each element of a
list, ``a.*`` any key of a map the caller names (parameters), and ``*`` alone: every
other name is read too (promotion parameters). plumber-public merges path, body and
query, so its routes list one set for both. Names the server reads but that a client
must never send are left out on purpose: plumber-public authorizes a workflow create
against a ``pipeline_id`` param, and a describe against a ``project_id`` one
(``public-api/v1alpha/lib/pipelines_api/workflows/wf_authorize``).
"""

from __future__ import annotations

from typing import NamedTuple


class Reads(NamedTuple):
    source: str
    names: frozenset[str]


def _names(*names: str) -> frozenset[str]:
    return frozenset(names)


PA = "public-api/v1alpha/lib/pipelines_api"
GW = "public-api-gateway/api"
PAGE = _names("page_size", "page_token", "order")
TARGET = _names(
    "unique_token",
    "project_id",
    "name",
    "description",
    "url",
    "bookmark_parameter1",
    "bookmark_parameter2",
    "bookmark_parameter3",
    "subject_rules[].type",
    "subject_rules[].subject_id",
    "subject_rules[].git_login",
    "object_rules[].type",
    "object_rules[].match_mode",
    "object_rules[].pattern",
    "env_vars[].name",
    "env_vars[].value",
    "files[].path",
    "files[].content",
)
AGENT_TYPE = _names(
    "metadata.name",
    "spec.agent_name_settings.assignment_origin",
    "spec.agent_name_settings.release_after",
    "spec.agent_name_settings.aws.account_id",
    "spec.agent_name_settings.aws.role_name_patterns",
)
DASHBOARD = _names(
    "metadata.name",
    "metadata.id",
    "metadata.title",
    "metadata.create_time",
    "metadata.update_time",
    "spec.widgets[].name",
    "spec.widgets[].type",
    "spec.widgets[].filters.*",
)
_RULE = "spec.rules[]"
NOTIFICATION = _names(
    "metadata.name",
    "metadata.id",
    "metadata.create_time",
    "metadata.update_time",
    "metadata.creator_id",
    f"{_RULE}.name",
    *(
        f"{_RULE}.filter.{key}"
        for key in ("projects", "branches", "pipelines", "blocks", "states", "results", "tags")
    ),
    *(f"{_RULE}.notify.slack.{key}" for key in ("endpoint", "channels", "message", "status")),
    *(f"{_RULE}.notify.email.{key}" for key in ("subject", "cc", "bcc", "content", "status")),
    *(
        f"{_RULE}.notify.webhook.{key}"
        for key in ("endpoint", "timeout", "action", "retries", "status", "secret")
    ),
    "status.failures[].time",
    "status.failures[].message",
)
_SECRET_COMMON = (
    "metadata.name",
    "metadata.id",
    "metadata.create_time",
    "metadata.update_time",
    "metadata.checkout_at",
    "metadata.content_included",
    "data.env_vars[].name",
    "data.env_vars[].value",
    "data.files[].path",
    "data.files[].content",
)
SECRET = _names(
    *_SECRET_COMMON,
    "org_config.projects_access",
    "org_config.project_ids",
    "org_config.debug_access",
    "org_config.attach_access",
)
PROJECT_SECRET = _names(*_SECRET_COMMON, "metadata.project_id_or_name")
_SCHEDULER = ("id", "name", "branch", "reference_type", "reference_name", "at", "pipeline_file")
_PROJECT = (
    "metadata.name",
    "spec.visibility",
    "spec.custom_permissions",
    "spec.debug_permissions",
    "spec.attach_permissions",
    "spec.repository.url",
    "spec.repository.run_on",
    "spec.repository.pipeline_file",
    "spec.repository.forked_pull_requests.allowed_secrets",
    "spec.repository.forked_pull_requests.allowed_contributors",
    "spec.repository.whitelist.branches",
    "spec.repository.whitelist.tags",
    "spec.repository.status.pipeline_files[].path",
    "spec.repository.status.pipeline_files[].level",
    *(f"spec.schedulers[].{key}" for key in (*_SCHEDULER, "status")),
    *(f"spec.tasks[].{key}" for key in (*_SCHEDULER, "status", "description", "scheduled")),
    *(
        f"spec.tasks[].parameters[].{key}"
        for key in (
            "name",
            "required",
            "description",
            "default_value",
            "options",
            "regex_pattern",
            "validate_input_format",
        )
    ),
)

READS: dict[tuple[str, str], Reads] = {
    ("POST", "/api/v1alpha/plumber-workflows"): Reads(
        f"{PA}/workflow_client/wf_request_formatter.ex",
        _names("project_id", "reference", "commit_sha", "pipeline_file", "parameters.*"),
    ),
    ("GET", "/api/v1alpha/plumber-workflows"): Reads(
        f"{PA}/workflows/list.ex",
        _names(
            "project_id",
            "wf_id",
            "branch_name",
            "requester_id",
            "label",
            "created_after",
            "created_before",
            "page",
            "page_size",
        ),
    ),
    ("GET", "/api/v1alpha/plumber-workflows/:id"): Reads(f"{PA}/workflows/describe.ex", _names()),
    ("POST", "/api/v1alpha/plumber-workflows/:id/reschedule"): Reads(
        f"{PA}/workflows/reschedule.ex", _names("request_token")
    ),
    ("POST", "/api/v1alpha/plumber-workflows/:id/terminate"): Reads(
        f"{PA}/workflows/terminate.ex", _names()
    ),
    ("GET", "/api/v1alpha/pipelines/:id"): Reads(f"{PA}/pipelines/describe.ex", _names("detailed")),
    ("GET", "/api/v1alpha/pipelines"): Reads(
        f"{PA}/pipelines_client/request_formatter.ex",
        _names(
            "project_id",
            "wf_id",
            "branch_name",
            "yml_file_path",
            "label",
            "queue_id",
            "pr_head_branch",
            "pr_target_branch",
            "created_after",
            "created_before",
            "done_after",
            "done_before",
            "page",
            "page_size",
        ),
    ),
    ("PATCH", "/api/v1alpha/pipelines/:id"): Reads(
        f"{PA}/pipelines/terminate.ex", _names("terminate_request")
    ),
    ("POST", "/api/v1alpha/yaml"): Reads(
        f"{PA}/pipelines/validate_yaml.ex", _names("yaml_definition")
    ),
    ("GET", "/api/v1alpha/promotions"): Reads(
        f"{PA}/gofer_client/request_formatter.ex",
        _names("pipeline_id", "name", "page", "page_size"),
    ),
    # Every name the trigger does not read itself becomes a promotion parameter.
    ("POST", "/api/v1alpha/promotions"): Reads(f"{PA}/promotions/trigger.ex", _names("*")),
    ("GET", "/api/v1alpha/deployment_targets"): Reads(
        f"{PA}/deployments/list.ex", _names("project_id", "target_name")
    ),
    ("GET", "/api/v1alpha/deployment_targets/:id"): Reads(
        f"{PA}/deployments/describe.ex", _names("include_secrets")
    ),
    ("POST", "/api/v1alpha/deployment_targets"): Reads(f"{PA}/deployments/create.ex", TARGET),
    ("PATCH", "/api/v1alpha/deployment_targets/:id"): Reads(f"{PA}/deployments/update.ex", TARGET),
    ("DELETE", "/api/v1alpha/deployment_targets/:id"): Reads(
        f"{PA}/deployments/delete.ex", _names("unique_token")
    ),
    ("PATCH", "/api/v1alpha/deployment_targets/:id/activate"): Reads(
        f"{PA}/deployments/uncordon.ex", _names()
    ),
    ("PATCH", "/api/v1alpha/deployment_targets/:id/deactivate"): Reads(
        f"{PA}/deployments/cordon.ex", _names()
    ),
    ("GET", "/api/v1alpha/deployment_targets/:id/history"): Reads(
        f"{PA}/deployments/history.ex",
        _names(
            "cursor_type",
            "cursor_value",
            "git_ref_type",
            "git_ref_label",
            "triggered_by",
            "parameter1",
            "parameter2",
            "parameter3",
        ),
    ),
    ("GET", "/api/v1alpha/schedules"): Reads(
        f"{PA}/schedules/list.ex", _names("project_id", "page", "page_size")
    ),
    ("GET", "/api/v1alpha/schedules/:id"): Reads(f"{PA}/schedules/describe.ex", _names()),
    ("POST", "/api/v1alpha/schedules"): Reads(
        f"{PA}/schedules/apply.ex", _names("yml_definition", "project_name", "periodic_id")
    ),
    ("DELETE", "/api/v1alpha/schedules/:id"): Reads(f"{PA}/schedules/delete.ex", _names()),
    ("POST", "/api/v1alpha/tasks/:id/run_now"): Reads(
        f"{PA}/schedules/run_now.ex",
        _names("reference.type", "reference.name", "branch", "pipeline_file", "parameters.*"),
    ),
    ("GET", "/api/v1alpha/artifacts_retention_policies/:id"): Reads(
        f"{PA}/artifacts_retention_policies/describe.ex", _names()
    ),
    ("POST", "/api/v1alpha/artifacts_retention_policies"): Reads(
        f"{PA}/artifacts_retention_policies/update.ex",
        _names(
            "project_id",
            *(
                f"{level}_level_retention_policies[].{key}"
                for level in ("project", "workflow", "job")
                for key in ("selector", "age")
            ),
        ),
    ),
    ("GET", "/api/v1alpha/self_hosted_agent_types"): Reads(
        f"{PA}/self_hosted_hub_client/request_formatter.ex", _names("page")
    ),
    ("GET", "/api/v1alpha/self_hosted_agent_types/:id"): Reads(
        f"{PA}/self_hosted_hub_client/request_formatter.ex", _names()
    ),
    ("POST", "/api/v1alpha/self_hosted_agent_types"): Reads(
        f"{PA}/self_hosted_hub_client/request_formatter.ex", AGENT_TYPE
    ),
    ("PATCH", "/api/v1alpha/self_hosted_agent_types/:id"): Reads(
        f"{PA}/self_hosted_hub_client/request_formatter.ex", AGENT_TYPE
    ),
    ("DELETE", "/api/v1alpha/self_hosted_agent_types/:id"): Reads(
        f"{PA}/self_hosted_hub_client/request_formatter.ex", _names()
    ),
    ("POST", "/api/v1alpha/self_hosted_agent_types/:id/disable_all"): Reads(
        f"{PA}/self_hosted_hub_client/request_formatter.ex", _names("only_idle")
    ),
    ("GET", "/api/v1alpha/agents"): Reads(
        f"{PA}/self_hosted_hub_client/request_formatter.ex",
        _names("agent_type", "page_size", "cursor"),
    ),
    ("GET", "/api/v1alpha/agents/:id"): Reads(
        f"{PA}/self_hosted_hub_client/request_formatter.ex", _names()
    ),
    ("GET", "/api/v1alpha/logs/:id"): Reads(f"{PA}/logs/params.ex", _names("artifact_job_logs")),
    ("GET", "/api/v1/logs/:id"): Reads(
        "loghub2/pkg/publicapi/server.go", _names("jwt", "token", "raw")
    ),
    ("GET", "/api/v1alpha/jobs/:id"): Reads(f"{GW}/jobs.v1alpha/jobs.v1alpha.pb.gw.go", _names()),
    ("POST", "/api/v1alpha/jobs/:id/stop"): Reads(
        f"{GW}/jobs.v1alpha/jobs.v1alpha.pb.gw.go", _names("job_id")
    ),
    ("GET", "/api/v1alpha/dashboards"): Reads(
        f"{GW}/dashboards.v1alpha/dashboards.v1alpha.pb.gw.go", _names("page_size", "page_token")
    ),
    ("GET", "/api/v1alpha/dashboards/:id"): Reads(
        f"{GW}/dashboards.v1alpha/dashboards.v1alpha.pb.gw.go", _names()
    ),
    ("POST", "/api/v1alpha/dashboards"): Reads(
        f"{GW}/dashboards.v1alpha/dashboards.v1alpha.pb.go Dashboard", DASHBOARD
    ),
    ("PATCH", "/api/v1alpha/dashboards/:id"): Reads(
        f"{GW}/dashboards.v1alpha/dashboards.v1alpha.pb.go Dashboard", DASHBOARD
    ),
    ("DELETE", "/api/v1alpha/dashboards/:id"): Reads(
        f"{GW}/dashboards.v1alpha/dashboards.v1alpha.pb.gw.go", _names()
    ),
    ("GET", "/api/v1alpha/notifications"): Reads(
        f"{GW}/notifications.v1alpha/notifications.v1alpha.pb.gw.go", PAGE
    ),
    ("GET", "/api/v1alpha/notifications/:id"): Reads(
        f"{GW}/notifications.v1alpha/notifications.v1alpha.pb.gw.go", _names()
    ),
    ("POST", "/api/v1alpha/notifications"): Reads(
        f"{GW}/notifications.v1alpha/notifications.v1alpha.pb.go Notification", NOTIFICATION
    ),
    ("PATCH", "/api/v1alpha/notifications/:id"): Reads(
        f"{GW}/notifications.v1alpha/notifications.v1alpha.pb.go Notification", NOTIFICATION
    ),
    ("DELETE", "/api/v1alpha/notifications/:id"): Reads(
        f"{GW}/notifications.v1alpha/notifications.v1alpha.pb.gw.go", _names()
    ),
    ("GET", "/api/v1beta/secrets"): Reads(f"{GW}/secrets.v1beta/secrets.v1beta.pb.gw.go", PAGE),
    ("GET", "/api/v1beta/secrets/:id"): Reads(
        f"{GW}/secrets.v1beta/secrets.v1beta.pb.gw.go", _names()
    ),
    ("POST", "/api/v1beta/secrets"): Reads(
        f"{GW}/secrets.v1beta/secrets.v1beta.pb.go Secret", SECRET
    ),
    ("PATCH", "/api/v1beta/secrets/:id"): Reads(
        f"{GW}/secrets.v1beta/secrets.v1beta.pb.go Secret", SECRET
    ),
    ("DELETE", "/api/v1beta/secrets/:id"): Reads(
        f"{GW}/secrets.v1beta/secrets.v1beta.pb.gw.go", _names()
    ),
    ("GET", "/api/v1/projects/:id/secrets"): Reads(
        f"{GW}/project_secrets.v1/project_secrets.v1.pb.gw.go", PAGE
    ),
    ("GET", "/api/v1/projects/:id/secrets/:id"): Reads(
        f"{GW}/project_secrets.v1/project_secrets.v1.pb.gw.go", _names()
    ),
    ("POST", "/api/v1/projects/:id/secrets"): Reads(
        f"{GW}/project_secrets.v1/project_secrets.v1.pb.go Secret", PROJECT_SECRET
    ),
    ("PATCH", "/api/v1/projects/:id/secrets/:id"): Reads(
        f"{GW}/project_secrets.v1/project_secrets.v1.pb.go Secret", PROJECT_SECRET
    ),
    ("DELETE", "/api/v1/projects/:id/secrets/:id"): Reads(
        f"{GW}/project_secrets.v1/project_secrets.v1.pb.gw.go", _names()
    ),
    ("POST", "/api/v1/artifacts"): Reads(
        f"{GW}/artifacts.v1/artifacts.v1.pb.go GenerateSignedURLsRequest", _names("paths", "type")
    ),
    ("GET", "/api/v1alpha/projects"): Reads(
        "projecthub-rest-api/lib/projecthub/http_api.ex list_projects/1", _names("page")
    ),
    ("GET", "/api/v1alpha/projects/:id"): Reads(
        "projecthub-rest-api/lib/projecthub/http_api.ex", _names()
    ),
    ("POST", "/api/v1alpha/projects"): Reads(
        "projecthub-rest-api/lib/projecthub/http_api.ex post /api/v1alpha/projects",
        _names(*_PROJECT, "skip_onboarding", "spec.repository.integration_type"),
    ),
    ("PATCH", "/api/v1alpha/projects/:id"): Reads(
        "projecthub-rest-api/lib/projecthub/http_api.ex patch /api/v1alpha/projects/:id",
        _names(*_PROJECT, "metadata.description"),
    ),
    ("DELETE", "/api/v1alpha/projects/:id"): Reads(
        "projecthub-rest-api/lib/projecthub/http_api.ex", _names()
    ),
}
