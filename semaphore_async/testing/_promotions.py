"""plumber-public: promotions (``/api/v1alpha/promotions``).

As ``public-api/v1alpha/lib/pipelines_api/promotions/{list,trigger}.ex`` and
``gofer_client/*``: every name the trigger does not read itself becomes a promotion
parameter, and a repeated ``request_token`` is answered as already recorded.
"""

from __future__ import annotations

from aiohttp import web

from ._wire import ANY, Area, Route, json_body, json_string, link_page, params_of, plain, ts_object

__all__ = ["PromotionRoutes"]

BASE = "/api/v1alpha/promotions"
_LIST_READS = ("pipeline_id", "name", "page", "page_size")
_OWN = ("pipeline_id", "name", "override", "request_token", "switch_id", "user_id")


class PromotionRoutes(Area):
    def routes(self) -> list[Route]:
        return [
            Route("GET", BASE, self.list_, "plumber", dict.fromkeys(_LIST_READS)),
            # Every other name is a promotion parameter: nothing is unknown here.
            Route("POST", BASE, self.trigger, "plumber", ANY),
        ]

    async def list_(self, request: web.Request) -> web.Response:
        query = request.query
        ppl_id = query.get("pipeline_id")
        if not ppl_id or ppl_id not in self.state.pipelines:
            return plain(404, "Not Found")
        for key in ("page", "page_size"):
            raw = query.get(key)
            if raw is not None and not raw.isdigit():
                return json_string(
                    400, f"Invalid value of '{key}' param: {raw!r} - needs to be integer."
                )
        size = int(query.get("page_size") or 10)
        if not 1 <= size < 100:
            return json_string(500, "Internal error")  # gofer's BAD_PARAM is not mapped
        items = sorted(
            (
                p
                for p in self.state.promotions.get(ppl_id, [])
                if not query.get("name") or p.name == query["name"]
            ),
            key=lambda p: p.triggered_at,
            reverse=True,
        )
        chunk, headers = link_page(request, items, BASE, self.control, default_size=10)
        body = [
            {
                "name": p.name,
                "triggered_at": ts_object(p.triggered_at),
                "triggered_by": p.triggered_by,
                "override": p.override,
                "status": p.status,
                "scheduled_at": ts_object(p.scheduled_at),
                "scheduled_pipeline_id": p.scheduled_pipeline_id,
            }
            for p in chunk
        ]
        return json_body(body, headers=headers)

    async def trigger(self, request: web.Request) -> web.Response:
        params = await params_of(request)
        ppl_id, name = params.get("pipeline_id"), params.get("name")
        if not ppl_id or ppl_id not in self.state.pipelines:
            return plain(404, "Not Found")
        if not name:
            return json_string(400, "Target with name '' not found.")
        override = params.get("override", False)
        if override not in (True, False, "true", "false"):
            return json_string(400, "Invalid value of 'override' param.")
        parameters = {k: v for k, v in params.items() if k not in _OWN}
        if any(not isinstance(v, str) for v in parameters.values()):
            return json_string(500, "Internal error")  # non-string parameters crash it
        token = params.get("request_token")
        if token and token in self.state.promotion_tokens:
            return json_string(200, "Promotion successfully triggered.")  # recorded once
        if token:
            self.state.promotion_tokens.add(str(token))
        self.state.add_promotion(ppl_id, str(name), parameters, override=override in (True, "true"))
        return json_string(200, "Promotion successfully triggered.")
