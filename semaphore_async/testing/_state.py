"""The emulator's in-memory, seeded state. Plain mutable records; rendering is elsewhere."""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

__all__ = ["BlockRec", "EmulatorState", "JobRec", "PipelineRec", "ProjectRec", "WorkflowRec"]

_BASE_TIME = datetime(2026, 1, 5, 9, 0, 0, tzinfo=timezone.utc)


@dataclass
class ProjectRec:
    id: str
    name: str


@dataclass
class JobRec:
    job_id: str
    name: str
    index: int
    status: str = "FINISHED"
    result: str = "PASSED"


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
    name: str
    branch_name: str
    branch_id: str
    commit_sha: str
    hook_id: str
    yaml_file_name: str
    created_at: datetime
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


_TRIGGER_NAMES = {0: "HOOK", 1: "SCHEDULE", 2: "API", 3: "MANUAL_RUN"}


class EmulatorState:
    """Projects, workflows, pipelines and jobs, generated from ``seed``.

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
        self._clock = _BASE_TIME
        for p in range(projects):
            project = ProjectRec(id=self.new_id(), name=f"project-{p + 1}")
            self.projects[project.id] = project
            for w in range(workflows_per_project):
                branch = ("main", "develop", f"feature-{w % 7}")[w % 3]
                self.start_workflow(project.id, f"refs/heads/{branch}", finished=True)

    def new_id(self) -> str:
        return str(uuid.UUID(int=self.random.getrandbits(128), version=4))

    def now(self) -> datetime:
        # A deterministic clock that moves forward a little on every event.
        self._clock += timedelta(seconds=self.random.randint(20, 400))
        return self._clock

    def project_named(self, name: str) -> ProjectRec | None:
        return next((p for p in self.projects.values() if p.name == name), None)

    def start_workflow(
        self,
        project_id: str,
        reference: str,
        *,
        commit_sha: str | None = None,
        pipeline_file: str | None = None,
        finished: bool = False,
        triggered_by: int = 2,
        rerun_of: str = "",
    ) -> WorkflowRec:
        branch = reference.removeprefix("refs/heads/").removeprefix("refs/tags/")
        created = self.now()
        wf = WorkflowRec(
            wf_id=self.new_id(),
            project_id=project_id,
            branch_name=branch,
            branch_id=str(uuid.uuid5(uuid.NAMESPACE_URL, f"{project_id}/{branch}")),
            commit_sha=commit_sha or f"{self.random.getrandbits(160):040x}",
            hook_id=self.new_id(),
            requester_id=self.new_id(),
            initial_ppl_id="",
            created_at=created,
            triggered_by=triggered_by if not finished else self.random.choice((0, 0, 1, 3)),
            rerun_of=rerun_of,
        )
        ppl = self._new_pipeline(wf, pipeline_file or ".semaphore/semaphore.yml", finished)
        wf.initial_ppl_id = ppl.ppl_id
        wf.pipeline_ids.append(ppl.ppl_id)
        self.workflows[wf.wf_id] = wf
        return wf

    def _new_pipeline(self, wf: WorkflowRec, pipeline_file: str, finished: bool) -> PipelineRec:
        _, _, file_name = pipeline_file.rpartition("/")
        created = wf.created_at + timedelta(seconds=1)
        ppl = PipelineRec(
            ppl_id=self.new_id(),
            wf_id=wf.wf_id,
            project_id=wf.project_id,
            name="Build & Test",
            branch_name=wf.branch_name,
            branch_id=wf.branch_id,
            commit_sha=wf.commit_sha,
            hook_id=wf.hook_id,
            yaml_file_name=file_name or pipeline_file,
            created_at=created,
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
                    job.status, job.result = "PENDING", "NONE"
        self.pipelines[ppl.ppl_id] = ppl
        return ppl

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
        if ppl.state != "DONE":
            ppl.state = "STOPPING"
            ppl.stopping_at = ppl.created_at + timedelta(seconds=6)
            ppl.terminate_request = "stop"
            ppl.terminated_by = "api"

    def rerun_workflow(self, wf: WorkflowRec, request_token: str) -> WorkflowRec:
        key = (wf.wf_id, request_token)
        existing = self.rerun_tokens.get(key)
        if existing is not None:
            return self.workflows[existing]
        project = self.projects[wf.project_id]
        new = self.start_workflow(
            project.id,
            f"refs/heads/{wf.branch_name}",
            commit_sha=wf.commit_sha,
            triggered_by=3,
            rerun_of=wf.wf_id,
        )
        self.rerun_tokens[key] = new.wf_id
        return new

    @staticmethod
    def trigger_name(number: int) -> str:
        return _TRIGGER_NAMES.get(number, "API")
