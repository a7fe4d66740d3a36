"""One screen per file. `screen_for_step` maps a workshop step to its screen."""

from __future__ import annotations

from importlib import import_module
from types import MappingProxyType

from textual.screen import Screen

# step -> (module, class); imported on demand so start-up loads only the first screen.
STEP_SCREENS = MappingProxyType(
    {
        "social": ("social", "SocialScreen"),
        "canvas": ("canvas", "CanvasScreen"),
        "practices": ("practices", "PracticesScreen"),
        "strategy": ("strategy", "StrategyScreen"),
        "plan": ("plan", "PlanScreen"),
        "fitness": ("fitness", "FitnessScreen"),
        "summary": ("summary", "SummaryScreen"),
    }
)


def screen_for_step(step: str, target: str | None = None) -> Screen[None]:
    module_name, class_name = STEP_SCREENS[step]
    module = import_module(f"{__name__}.{module_name}")
    screen: Screen[None] = getattr(module, class_name)(target)
    return screen
