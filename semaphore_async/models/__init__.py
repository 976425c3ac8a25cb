"""The models the API returns: frozen ``attrs`` classes whose attributes are the wire names.

Types follow the server (its source is cited in each module): a field the server always
sends is typed without ``None`` and, should it ever arrive ``null`` or not at all, takes
its zero value (``""``, ``0``, ``False``, ``()``, or the nested model at its zero value);
fields the server leaves out or nulls in some states (unset timestamps, ``result`` before
a pipeline is done, ...) are ``X | None``. Timestamps are aware UTC ``datetime`` objects
whatever their wire format. Enum fields hold a member when the value is known and the
plain string otherwise.
"""

# Each module's __all__ is its public names, so they are listed once, where defined.
from . import (
    _agents,
    _artifacts,
    _common,
    _dashboards,
    _deployments,
    _enums,
    _jobs,
    _logs,
    _notifications,
    _pipelines,
    _projects,
    _promotions,
    _schedules,
    _secrets,
    _tasks,
    _workflows,
)
from ._agents import *  # noqa: F403
from ._artifacts import *  # noqa: F403
from ._common import *  # noqa: F403
from ._dashboards import *  # noqa: F403
from ._deployments import *  # noqa: F403
from ._enums import *  # noqa: F403
from ._jobs import *  # noqa: F403
from ._logs import *  # noqa: F403
from ._notifications import *  # noqa: F403
from ._pipelines import *  # noqa: F403
from ._projects import *  # noqa: F403
from ._promotions import *  # noqa: F403
from ._schedules import *  # noqa: F403
from ._secrets import *  # noqa: F403
from ._tasks import *  # noqa: F403
from ._workflows import *  # noqa: F403

__all__: list[str] = []
__all__ += _agents.__all__
__all__ += _artifacts.__all__
__all__ += _common.__all__
__all__ += _dashboards.__all__
__all__ += _deployments.__all__
__all__ += _enums.__all__
__all__ += _jobs.__all__
__all__ += _logs.__all__
__all__ += _notifications.__all__
__all__ += _pipelines.__all__
__all__ += _projects.__all__
__all__ += _promotions.__all__
__all__ += _schedules.__all__
__all__ += _secrets.__all__
__all__ += _tasks.__all__
__all__ += _workflows.__all__
