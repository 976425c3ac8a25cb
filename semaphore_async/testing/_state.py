"""The emulator's in-memory, seeded state. Plain mutable records; rendering lives with
each area's routes."""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any

__all__ = [
    "AgentRec",
    "AgentTypeRec",
    "BlockRec",
    "DeploymentRec",
    "EmulatorState",
    "GatewayRec",
    "JobRec",
    "PipelineRec",
    "ProjectRec",
    "PromotionRec",
    "ScheduleRec",
    "TargetRec",
    "WorkflowRec",
]

_BASE_TIME = datetime(2026, 1, 5, 9, 0, 0, tzinfo=timezone.utc)


@dataclass
class ProjectRec:
    id: str
    name: str
    org_id: str
    owner_id: str
    description: str = ""
    repository_url: str = ""
    visibility: str = "private"
    run_on: list[str] = field(default_factory=lambda: ["branches", "tags"])
    pipeline_file: str = ".semaphore/semaphore.yml"
    integration_type: str = "github_app"
    custom_permissions: bool = False
    debug_permissions: list[str] = field(default_factory=list)
    attach_permissions: list[str] = field(default_factory=list)
    whitelist: dict[str, list[str]] = field(default_factory=lambda: {"branches": [], "tags": []})
    forked_pull_requests: dict[str, list[str]] = field(
        default_factory=lambda: {"allowed_secrets": [], "allowed_contributors": []}
    )
    pipeline_files: list[dict[str, str]] = field(default_factory=list)
    schedulers: list[dict[str, Any]] = field(default_factory=list)
    hidden: bool = False
    """Filtered out after the page is cut, as the server's permission check does."""


@dataclass
class JobRec:
    job_id: str
    name: str
    index: int
    status: str = "FINISHED"
    """The block's view: ENQUEUED, RUNNING, STOPPING or FINISHED."""
    result: str = "PASSED"
    project_id: str = ""
    ppl_id: str = ""
    self_hosted: bool = False
    created_at: datetime | None = None
    log: list[dict[str, object]] = field(default_factory=list)


@dataclass
class BlockRec:
    block_id: str
    name: str
    build_req_id: str
    jobs: list[JobRec]
    state: str = "DONE"
    result: str | None = "PASSED"
    result_reason: str | None = "TEST"


@dataclass
class PipelineRec:
    ppl_id: str
    wf_id: str
    project_id: str
    organization_id: str
    name: str
    branch_name: str
    branch_id: str
    commit_sha: str
    hook_id: str
    yaml_file_name: str
    created_at: datetime
    queue_id: str = ""
    requester_id: str = ""
    triggered_by: int = 2
    commit_message: str = "Emulated commit"
    repository_id: str = ""
    env_vars: list[dict[str, str]] = field(default_factory=list)
    state: str = "DONE"
    result: str | None = "PASSED"
    result_reason: str | None = "TEST"
    pending_at: datetime | None = None
    queuing_at: datetime | None = None
    running_at: datetime | None = None
    stopping_at: datetime | None = None
    done_at: datetime | None = None
    terminated_by: str = ""
    terminate_request: str = ""
    blocks: list[BlockRec] = field(default_factory=list)
    steps_left: int = 0
    """Describes still needed before a running pipeline finishes (see ``advance``)."""


@dataclass
class WorkflowRec:
    wf_id: str
    project_id: str
    organization_id: str
    repository_id: str
    branch_name: str
    branch_id: str
    commit_sha: str
    hook_id: str
    requester_id: str
    initial_ppl_id: str
    created_at: datetime
    triggered_by: int = 0  # proto number: 0 HOOK, 1 SCHEDULE, 2 API, 3 MANUAL_RUN
    rerun_of: str = ""
    pipeline_ids: list[str] = field(default_factory=list)


@dataclass
class PromotionRec:
    name: str
    status: str
    override: bool
    triggered_by: str
    triggered_at: datetime
    scheduled_at: datetime | None
    scheduled_pipeline_id: str
    parameters: dict[str, str] = field(default_factory=dict)


@dataclass
class ScheduleRec:
    id: str
    name: str
    project_id: str
    organization_id: str
    reference: str
    at: str
    pipeline_file: str
    requester_id: str
    inserted_at: datetime
    updated_at: datetime
    description: str = ""
    recurring: bool = True
    paused: bool = False
    parameters: list[dict[str, Any]] = field(default_factory=list)
    triggers: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class DeploymentRec:
    id: str
    target_id: str
    target_name: str
    pipeline_id: str
    prev_pipeline_id: str
    switch_id: str
    triggered_by: str
    triggered_at: datetime
    state: str = "STARTED"
    env_vars: list[dict[str, str]] = field(default_factory=list)


@dataclass
class TargetRec:
    id: str
    name: str
    project_id: str
    organization_id: str
    created_at: datetime
    updated_at: datetime
    created_by: str
    description: str = ""
    url: str = ""
    active: bool = True
    bookmarks: tuple[str, str, str] = ("", "", "")
    subject_rules: list[dict[str, object]] = field(default_factory=list)
    object_rules: list[dict[str, object]] = field(default_factory=list)
    env_vars: list[dict[str, str]] = field(default_factory=list)
    """The secret's values in the clear; answers only ever show their MD5 digests."""
    files: list[dict[str, str]] = field(default_factory=list)
    history: list[DeploymentRec] = field(default_factory=list)


@dataclass
class AgentTypeRec:
    name: str
    create_time: int
    update_time: int
    assignment_origin: str = "assignment_origin_agent"
    release_after: int = 0
    aws: dict[str, str] | None = None
    registration_token: str = ""


@dataclass
class AgentRec:
    name: str
    type: str
    connected_at: int
    state: str = "waiting_for_job"
    disabled_at: int | None = None


@dataclass
class GatewayRec:
    """A dashboard, notification or secret: the JSON document as the server stored it,
    plus the fields the server assigns."""

    id: str
    name: str
    create_time: int
    update_time: int
    document: dict[str, Any] = field(default_factory=dict)
    creator_id: str = ""


_TRIGGER_NAMES = {0: "HOOK", 1: "SCHEDULE", 2: "API", 3: "MANUAL_RUN"}


class EmulatorState:
    """Projects, workflows, pipelines, jobs and every other area, generated from ``seed``.

    Deterministic: the same seed gives the same ids, names and timestamps.
    ``pipeline_steps`` is how many describes a newly started pipeline needs to reach
    DONE (QUEUING, RUNNING, ..., DONE), which keeps ``pipelines.wait`` tests free of
    wall-clock timing.
    """

    def __init__(
        self,
        *,
        seed: int = 0,
        projects: int = 2,
        workflows_per_project: int = 75,
        pipeline_steps: int = 2,
    ) -> None:
        self.random = random.Random(seed)
        self.pipeline_steps = pipeline_steps
        self.projects: dict[str, ProjectRec] = {}
        self.workflows: dict[str, WorkflowRec] = {}
        self.pipelines: dict[str, PipelineRec] = {}
        self.rerun_tokens: dict[tuple[str, str], str] = {}
        self.promotion_tokens: set[str] = set()
        self.jobs: dict[str, JobRec] = {}
        self.promotions: dict[str, list[PromotionRec]] = {}
        self.schedules: dict[str, ScheduleRec] = {}
        self.targets: dict[str, TargetRec] = {}
        self.target_tokens: dict[str, str] = {}
        self.agent_types: dict[str, AgentTypeRec] = {}
        self.agents: dict[str, AgentRec] = {}
        self.retention: dict[str, dict[str, list[dict[str, str]]]] = {}
        self.dashboards: dict[str, GatewayRec] = {}
        self.notifications: dict[str, GatewayRec] = {}
        self.secrets: dict[str, GatewayRec] = {}
        self.project_secrets: dict[str, dict[str, GatewayRec]] = {}
        self._clock = _BASE_TIME
        self.org_id = self.new_id()
        self.user_id = self.new_id()
        """The user the API token belongs to (requester and creator ids)."""
        for p in range(projects):
            project = self.add_project(f"project-{p + 1}")
            for w in range(workflows_per_project):
                branch = ("main", "develop", f"feature-{w % 7}")[w % 3]
                self.start_workflow(project.id, f"refs/heads/{branch}", finished=True)
        self._seed_more()

    def add_project(self, name: str, **fields: object) -> ProjectRec:
        """Add a project named ``name`` (its other fields as given) and return it."""
        project = ProjectRec(
            id=self.new_id(),
            name=name,
            org_id=self.org_id,
            owner_id=self.user_id,
            repository_url=f"git@github.com:acme/{name}.git",
        )
        for key, value in fields.items():
            setattr(project, key, value)
        if not project.pipeline_files:
            project.pipeline_files = [{"path": project.pipeline_file, "level": "pipeline"}]
        self.projects[project.id] = project
        self.project_secrets.setdefault(project.id, {})
        return project

    def epoch(self) -> int:
        """The store's clock, moved forward, as epoch seconds."""
        return int(self.now().timestamp())

    def _seed_more(self) -> None:
        """Enough of every other area for at least three pages of each list scheme."""
        if not self.projects:
            return
        project = next(iter(self.projects.values()))
        newest = max(
            (p for p in self.pipelines.values() if p.project_id == project.id),
            key=lambda p: p.created_at,
            default=None,
        )
        if newest is not None:
            for i in range(25):
                self.add_promotion(newest.ppl_id, ("production", "staging")[i % 2], {})
        for i in range(7):
            self.upsert_schedule(
                {"name": f"nightly-{i + 1}", "branch": "main", "at": f"{i} 3 * * *"},
                project_id=project.id,
            )
        target = self.create_target(project.id, "production", {"url": "https://acme.example"})
        self.create_target(project.id, "staging", {})
        for _ in range(25):
            self.add_deployment(target)
        for t in range(2):
            agent_type = self.create_agent_type(f"s1-emulated-{t + 1}", {})
            for _ in range(6):
                self.agents_connect(agent_type.name)
        for i in range(7):
            self.gateway_create(
                self.dashboards,
                f"dashboard-{i + 1}",
                {
                    "metadata": {"title": f"Dashboard {i + 1}"},
                    "spec": {
                        "widgets": [
                            {
                                "name": "Pipelines",
                                "type": "list_pipelines",
                                "filters": {"project_id": project.id},
                            }
                        ]
                    },
                },
            )
            self.gateway_create(
                self.notifications,
                f"notify-{i + 1}",
                {
                    "spec": {
                        "rules": [
                            {
                                "name": "on failure",
                                "filter": {"projects": [project.name], "results": ["failed"]},
                                "notify": {
                                    "slack": {"endpoint": "https://hooks.slack.example/T0"},
                                    "webhook": {},
                                },
                            }
                        ]
                    }
                },
            )
            self.gateway_create(
                self.secrets,
                f"secret-{i + 1}",
                {
                    "data": {"env_vars": [{"name": "TOKEN", "value": f"value-{i}"}], "files": []},
                    "org_config": {"projects_access": "ALL"},
                },
            )
            self.gateway_create(
                self.project_secrets[project.id],
                f"project-secret-{i + 1}",
                {"data": {"env_vars": [{"name": "KEY", "value": f"p-{i}"}], "files": []}},
            )

    def add_promotion(
        self, ppl_id: str, name: str, parameters: dict[str, str], *, override: bool = False
    ) -> PromotionRec:
        """Record a promotion of pipeline ``ppl_id``, as ``promotions.trigger`` does."""
        triggered = self.now()
        promotion = PromotionRec(
            name=name,
            status="passed",
            override=override,
            triggered_by="Pipeline Done request" if not parameters else self.user_id,
            triggered_at=triggered,
            scheduled_at=triggered + timedelta(seconds=1),
            scheduled_pipeline_id=self.new_id(),
            parameters=dict(parameters),
        )
        self.promotions.setdefault(ppl_id, []).append(promotion)
        return promotion

    def upsert_schedule(
        self, spec: dict[str, Any], *, project_id: str, schedule_id: str | None = None
    ) -> ScheduleRec:
        """Create a scheduler from a parsed YAML ``spec``, or update ``schedule_id``."""
        now = self.now()
        reference = str(spec.get("reference") or f"refs/heads/{spec.get('branch') or 'master'}")
        if not reference.startswith("refs/"):
            reference = f"refs/heads/{reference}"
        parameters = [
            {
                "name": str(p.get("name", "")),
                "required": bool(p.get("required", False)),
                "description": str(p.get("description", "")),
                "default_value": str(p.get("default_value", "")),
                "options": [str(o) for o in p.get("options") or []],
                "regex_pattern": str(p.get("regex_pattern", "")),
                "validate_input_format": bool(p.get("validate_input_format", False)),
            }
            for p in spec.get("parameters") or []
            if isinstance(p, dict)
        ]
        existing = self.schedules.get(schedule_id or "")
        if existing is not None:
            existing.name = str(spec.get("name") or existing.name)
            existing.reference = reference
            existing.at = str(spec.get("at") or existing.at)
            existing.pipeline_file = str(spec.get("pipeline_file") or existing.pipeline_file)
            existing.description = str(spec.get("description") or existing.description)
            existing.parameters = parameters or existing.parameters
            existing.recurring = bool(existing.at)
            existing.updated_at = now
            return existing
        schedule = ScheduleRec(
            id=self.new_id(),
            name=str(spec.get("name") or "schedule"),
            project_id=project_id,
            organization_id=self.org_id,
            reference=reference,
            at=str(spec.get("at") or ""),
            pipeline_file=str(spec.get("pipeline_file") or ".semaphore/semaphore.yml"),
            requester_id=self.user_id,
            inserted_at=now,
            updated_at=now,
            description=str(spec.get("description") or ""),
            parameters=parameters,
        )
        schedule.recurring = bool(schedule.at)
        self.schedules[schedule.id] = schedule
        return schedule

    def create_target(self, project_id: str, name: str, fields: dict[str, Any]) -> TargetRec:
        """Create a deployment target of ``project_id`` with the request's ``fields``."""
        now = self.now()
        target = TargetRec(
            id=self.new_id(),
            name=name,
            project_id=project_id,
            organization_id=self.org_id,
            created_at=now,
            updated_at=now,
            created_by=self.user_id,
            subject_rules=[{"type": "ANY", "subject_id": ""}],
            object_rules=[
                {"type": kind, "match_mode": "ALL", "pattern": ""}
                for kind in ("BRANCH", "TAG", "PR")
            ],
        )
        self.update_target(target, fields)
        self.targets[target.id] = target
        return target

    @staticmethod
    def update_target(target: TargetRec, fields: dict[str, Any]) -> None:
        """Merge ``fields`` over the target, as the server's update does: a field left
        out keeps its value; ``env_vars`` or ``files`` replace the secret whole, and a
        value equal to the MD5 digest of the stored one keeps the stored one."""
        import hashlib

        for key in ("name", "description", "url"):
            if key in fields and fields[key] is not None:
                setattr(target, key, str(fields[key]))
        marks = list(target.bookmarks)
        for i in range(3):
            key = f"bookmark_parameter{i + 1}"
            if key in fields and fields[key] is not None:
                marks[i] = str(fields[key])
        target.bookmarks = (marks[0], marks[1], marks[2])
        for key in ("subject_rules", "object_rules"):
            value = fields.get(key)
            if isinstance(value, list):
                setattr(target, key, [dict(rule) for rule in value])
        if isinstance(fields.get("env_vars"), list) or isinstance(fields.get("files"), list):

            def digest(text: str) -> str:
                return hashlib.md5(text.encode(), usedforsecurity=False).hexdigest()

            old_env = {e["name"]: e["value"] for e in target.env_vars}
            old_files = {f["path"]: f["content"] for f in target.files}
            target.env_vars = [
                {
                    "name": str(e.get("name", "")),
                    "value": old_env[e["name"]]
                    if e.get("name") in old_env and digest(old_env[e["name"]]) == e.get("value")
                    else str(e.get("value", "")),
                }
                for e in fields.get("env_vars") or []
            ]
            target.files = [
                {
                    "path": str(f.get("path", "")),
                    "content": old_files[f["path"]]
                    if f.get("path") in old_files
                    and digest(old_files[f["path"]]) == f.get("content")
                    else str(f.get("content", "")),
                }
                for f in fields.get("files") or []
            ]

    def add_deployment(self, target: TargetRec) -> DeploymentRec:
        """Record a deployment to ``target``, for its history."""
        deployment = DeploymentRec(
            id=self.new_id(),
            target_id=target.id,
            target_name=target.name,
            pipeline_id=self.new_id(),
            prev_pipeline_id=self.new_id(),
            switch_id=self.new_id(),
            triggered_by=self.user_id,
            triggered_at=self.now() + timedelta(microseconds=self.random.randint(1, 999_999)),
            env_vars=[{"name": "MESSAGE", "value": "deployed by the emulator"}],
        )
        target.history.append(deployment)
        return deployment

    def create_agent_type(self, name: str, settings: dict[str, Any]) -> AgentTypeRec:
        """Create a self-hosted agent type with its name ``settings``."""
        now = self.epoch()
        agent_type = AgentTypeRec(
            name=name, create_time=now, update_time=now, registration_token=self.new_id()
        )
        self.configure_agent_type(agent_type, settings)
        self.agent_types[name] = agent_type
        return agent_type

    def configure_agent_type(self, agent_type: AgentTypeRec, settings: dict[str, Any]) -> None:
        """Replace the name settings whole, as the hub does: what is left out takes its
        default (agent origin, release_after 0, no AWS)."""
        agent_type.assignment_origin = str(
            settings.get("assignment_origin") or "assignment_origin_agent"
        ).lower()
        agent_type.release_after = int(settings.get("release_after") or 0)
        aws = settings.get("aws")
        agent_type.aws = (
            {
                "account_id": str(aws.get("account_id", "")),
                "role_name_patterns": str(aws.get("role_name_patterns", "")),
            }
            if isinstance(aws, dict) and agent_type.assignment_origin.endswith("aws_sts")
            else None
        )
        agent_type.update_time = self.epoch()

    def agents_connect(self, agent_type: str) -> AgentRec:
        """Connect a new agent of ``agent_type`` and return it."""
        name = f"{self.random.getrandbits(100):025x}"[:20]
        agent = AgentRec(name=name, type=agent_type, connected_at=self.epoch())
        if len(self.agents) % 3 == 2:
            agent.state = "running_job"
        self.agents[name] = agent
        return agent

    def gateway_create(
        self, collection: dict[str, GatewayRec], name: str, document: dict[str, Any]
    ) -> GatewayRec:
        """Add a document named ``name`` to a gateway ``collection`` (dashboards, ...)."""
        now = self.epoch()
        record = GatewayRec(
            id=self.new_id(),
            name=name,
            create_time=now,
            update_time=now,
            document=document,
            creator_id=self.user_id,
        )
        collection[record.id] = record
        return record

    def new_id(self) -> str:
        """A new uuid4, from the store's seeded random source."""
        return str(uuid.UUID(int=self.random.getrandbits(128), version=4))

    def now(self) -> datetime:
        """The store's deterministic clock, moved forward a little on every call."""
        self._clock += timedelta(seconds=self.random.randint(20, 400))
        return self._clock

    def project_named(self, name: str) -> ProjectRec | None:
        """The project called ``name``, if any."""
        return next((p for p in self.projects.values() if p.name == name), None)

    def start_workflow(
        self,
        project_id: str,
        reference: str,
        *,
        commit_sha: str | None = None,
        pipeline_file: str | None = None,
        parameters: dict[str, str] | None = None,
        finished: bool = False,
        triggered_by: int = 2,
        rerun_of: str = "",
    ) -> WorkflowRec:
        """Start a workflow on ``reference``, as ``workflows.run`` does; its pipeline
        runs as it is polled."""
        branch = reference.removeprefix("refs/heads/")
        created = self.now()
        wf = WorkflowRec(
            wf_id=self.new_id(),
            project_id=project_id,
            organization_id=self.org_id,
            repository_id=str(uuid.uuid5(uuid.NAMESPACE_URL, f"repository/{project_id}")),
            branch_name=branch,
            branch_id=str(uuid.uuid5(uuid.NAMESPACE_URL, f"{project_id}/{branch}")),
            commit_sha=commit_sha or f"{self.random.getrandbits(160):040x}",
            hook_id=self.new_id(),
            requester_id=self.user_id,
            initial_ppl_id="",
            created_at=created,
            triggered_by=triggered_by if not finished else self.random.choice((0, 0, 1, 3)),
            rerun_of=rerun_of,
        )
        ppl = self._new_pipeline(
            wf, pipeline_file or ".semaphore/semaphore.yml", finished, parameters or {}
        )
        wf.initial_ppl_id = ppl.ppl_id
        wf.pipeline_ids.append(ppl.ppl_id)
        self.workflows[wf.wf_id] = wf
        return wf

    def _new_pipeline(
        self, wf: WorkflowRec, pipeline_file: str, finished: bool, parameters: dict[str, str]
    ) -> PipelineRec:
        _, _, file_name = pipeline_file.rpartition("/")
        created = wf.created_at + timedelta(seconds=1)
        ppl = PipelineRec(
            ppl_id=self.new_id(),
            wf_id=wf.wf_id,
            project_id=wf.project_id,
            organization_id=wf.organization_id,
            name="Build & Test",
            branch_name=wf.branch_name,
            branch_id=wf.branch_id,
            commit_sha=wf.commit_sha,
            hook_id=wf.hook_id,
            yaml_file_name=file_name or pipeline_file,
            created_at=created,
            queue_id=str(uuid.uuid5(uuid.NAMESPACE_URL, f"queue/{wf.project_id}")),
            requester_id=wf.requester_id,
            triggered_by=wf.triggered_by,
            repository_id=wf.repository_id,
            env_vars=[{"name": k, "value": v} for k, v in parameters.items()],
            pending_at=created + timedelta(seconds=1),
            queuing_at=created + timedelta(seconds=2),
        )
        ppl.blocks = [
            BlockRec(
                block_id=self.new_id(),
                name=name,
                build_req_id=self.new_id(),
                jobs=[
                    JobRec(job_id=self.new_id(), name=f"{name} {i + 1}/{count}", index=i)
                    for i in range(count)
                ],
            )
            for name, count in (("Lint", 1), ("Unit tests", 3), ("Integration", 2))
        ]
        if finished:
            result = self.random.choice(("PASSED", "PASSED", "PASSED", "FAILED", "STOPPED"))
            self._finish(ppl, result)
        else:
            ppl.state, ppl.result, ppl.result_reason = "QUEUING", None, None
            ppl.steps_left = self.pipeline_steps
            for block in ppl.blocks:
                block.state, block.result, block.result_reason = "WAITING", None, None
                for job in block.jobs:
                    # Unfinished jobs read PASSED, the proto default (plumber block.ex).
                    job.status, job.result = "ENQUEUED", "PASSED"
        self.pipelines[ppl.ppl_id] = ppl
        for block in ppl.blocks:
            for job in block.jobs:
                job.project_id, job.ppl_id, job.created_at = wf.project_id, ppl.ppl_id, created
                job.self_hosted = job.index == 1 and block.name == "Integration"
                job.log = self._job_log(job, created)
                self.jobs[job.job_id] = job
        return ppl

    @staticmethod
    def _job_log(job: JobRec, started: datetime) -> list[dict[str, object]]:
        at = int(started.timestamp())
        events: list[dict[str, object]] = [{"event": "job_started", "timestamp": at}]
        for step, command in enumerate(("checkout", f"make test SHARD={job.index}")):
            events.append({"event": "cmd_started", "timestamp": at + step, "directive": command})
            for line in range(3):
                events.append(
                    {
                        "event": "cmd_output",
                        "timestamp": at + step,
                        "output": f"{command}: line {line + 1}\n",
                    }
                )
            events.append(
                {
                    "event": "cmd_finished",
                    "timestamp": at + step + 1,
                    "directive": command,
                    "exit_code": 0,
                    "started_at": at + step,
                    "finished_at": at + step + 1,
                }
            )
        events.append({"event": "job_finished", "timestamp": at + 3, "result": "passed"})
        return events

    def _finish(self, ppl: PipelineRec, result: str) -> None:
        ppl.running_at = ppl.running_at or (ppl.created_at + timedelta(seconds=5))
        ppl.done_at = ppl.running_at + timedelta(seconds=self.random.randint(30, 900))
        ppl.state = "DONE"
        ppl.result = result
        ppl.result_reason = {"PASSED": "TEST", "FAILED": "TEST", "STOPPED": "USER"}.get(
            result, "TEST"
        )
        for block in ppl.blocks:
            block.state, block.result, block.result_reason = "DONE", result, ppl.result_reason
            for job in block.jobs:
                job.status, job.result = "FINISHED", result if result != "CANCELED" else "STOPPED"

    def advance(self, ppl: PipelineRec) -> None:
        """One step along QUEUING -> RUNNING -> DONE for a pipeline that is not done."""
        if ppl.state == "DONE":
            return
        if ppl.state == "STOPPING":
            self._finish(ppl, "STOPPED")
            return
        ppl.steps_left -= 1
        if ppl.steps_left <= 0:
            self._finish(ppl, "PASSED")
        elif ppl.state == "QUEUING":
            ppl.state = "RUNNING"
            ppl.running_at = ppl.created_at + timedelta(seconds=5)
            for block in ppl.blocks:
                block.state = "RUNNING"
                for job in block.jobs:
                    job.status = "RUNNING"

    def stop_pipeline(self, ppl: PipelineRec) -> None:
        """Ask a running pipeline to stop, as ``pipelines.stop`` does."""
        if ppl.state != "DONE":
            ppl.state = "STOPPING"
            ppl.stopping_at = ppl.created_at + timedelta(seconds=6)
            ppl.terminate_request = "stop"
            ppl.terminated_by = self.user_id

    def rerun_workflow(self, wf: WorkflowRec, request_token: str) -> WorkflowRec:
        """Rerun ``wf`` once per ``request_token``; the same token returns the same rerun."""
        key = (wf.wf_id, request_token)
        existing = self.rerun_tokens.get(key)
        if existing is not None:
            return self.workflows[existing]
        new = self.start_workflow(
            wf.project_id,
            f"refs/heads/{wf.branch_name}",
            commit_sha=wf.commit_sha,
            triggered_by=3,
            rerun_of=wf.wf_id,
        )
        self.rerun_tokens[key] = new.wf_id
        return new

    @staticmethod
    def trigger_name(number: int) -> str:
        """The name of a ``triggered_by`` number, as the plumber's enum spells it."""
        return _TRIGGER_NAMES.get(number, "API")
