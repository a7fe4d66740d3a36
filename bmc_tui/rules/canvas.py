"""Rules of the Business Model Canvas: every block filled, every block linked to its neighbours."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from ..model import BLOCK_TITLES, BLOCKS
from ..money import format_amount, monthly_total
from .base import Context, Hit, Rule, name


def block_empty(ctx: Context) -> Iterator[Hit]:
    for block in BLOCKS:
        if not ctx.session.canvas.block(block):
            yield Hit((block,), f"{BLOCK_TITLES[block]} is still empty.", target=block)


def _pays(segment: object) -> bool:
    """Absent `pays` means the segment pays; only an explicit False marks a free side."""
    return getattr(segment, "pays", None) is not False


def _segments_not_linked_by(
    kind: str, message: str, *, paying_only: bool = False
) -> Callable[[Context], Iterator[Hit]]:
    def check(ctx: Context) -> Iterator[Hit]:
        linked = ctx.linked_by(kind, "segments")
        for segment in ctx.items("customer_segments"):
            if paying_only and not _pays(segment):
                continue  # a free side is a choice, not a gap (rules 1.1)
            if segment.id not in linked:
                yield Hit((segment.id,), message.format(name(segment)), target=segment.id)

    return check


def no_paying_segment(ctx: Context) -> Iterator[Hit]:
    segments = ctx.session.canvas.customer_segments
    if segments and not any(_pays(s) for s in segments):
        yield Hit(
            (),
            "Every customer segment is marked as not paying: who pays for the model?",
            target="customer_segments",
        )


def value_unpriced(ctx: Context) -> Iterator[Hit]:
    if not ctx.session.canvas.revenue_streams:
        return
    priced = ctx.linked_by("revenue_streams", "propositions")
    segments = {s.id: s for s in ctx.items("customer_segments")}
    for value in ctx.items("value_propositions"):
        if value.id in priced:
            continue
        served = ctx.links("value_propositions", value, "segments")
        # Given away on purpose: it serves at least one segment, and only free sides.
        if served and all(not _pays(segments[i]) for i in served if i in segments):
            continue
        yield Hit(
            (value.id,),
            f"No revenue stream charges for value proposition {name(value)}.",
            target=value.id,
        )


def relationship_without_channel(ctx: Context) -> Iterator[Hit]:
    for relationship in ctx.items("customer_relationships"):
        if not ctx.links("customer_relationships", relationship, "channels"):
            yield Hit(
                (relationship.id,),
                f"Customer relationship {name(relationship)} is not linked to a channel "
                "it is kept through.",
                target=relationship.id,
            )


def costs_exceed_revenue(ctx: Context) -> Iterator[Hit]:
    revenue = monthly_total(ctx.session.canvas.revenue_streams)
    costs = monthly_total(ctx.session.canvas.cost_structure)
    if revenue is None or costs is None or not costs > revenue:
        return
    currency = ctx.session.currency
    yield Hit(
        (),
        f"Costs of {format_amount(costs, currency)} a month are more than the revenue of "
        f"{format_amount(revenue, currency)}: as described, the model loses money.",
        target="cost_structure",
    )


def value_without_segment(ctx: Context) -> Iterator[Hit]:
    for value in ctx.items("value_propositions"):
        if not ctx.links("value_propositions", value, "segments"):
            yield Hit(
                (value.id,),
                f"Value proposition {name(value)} is not linked to a customer segment it serves.",
                target=value.id,
            )


def value_without_activity(ctx: Context) -> Iterator[Hit]:
    delivered = ctx.linked_by("key_activities", "value_propositions")
    for value in ctx.items("value_propositions"):
        if value.id not in delivered:
            yield Hit(
                (value.id,),
                f"No key activity creates value proposition {name(value)}.",
                target=value.id,
            )


def activity_without_resource(ctx: Context) -> Iterator[Hit]:
    for activity in ctx.items("key_activities"):
        if not ctx.links("key_activities", activity, "resources"):
            yield Hit(
                (activity.id,),
                f"Key activity {name(activity)} is not linked to the key resources it needs.",
                target=activity.id,
            )


def resource_unused(ctx: Context) -> Iterator[Hit]:
    used = ctx.linked_by("key_activities", "resources")
    for resource in ctx.items("key_resources"):
        if resource.id not in used:
            yield Hit(
                (resource.id,),
                f"No key activity uses key resource {name(resource)}.",
                target=resource.id,
            )


def partner_idle(ctx: Context) -> Iterator[Hit]:
    for partner in ctx.items("key_partnerships"):
        if not ctx.links("key_partnerships", partner, "supplies"):
            yield Hit(
                (partner.id,),
                f"Key partner {name(partner)} is not linked to a resource or activity it supplies.",
                target=partner.id,
            )


def uncosted(ctx: Context) -> Iterator[Hit]:
    drivers = ctx.linked_by("cost_structure", "drivers")
    for kind, label in (("key_activities", "Key activity"), ("key_resources", "Key resource")):
        for item in ctx.items(kind):
            if item.id not in drivers:
                yield Hit(
                    (item.id,),
                    f"{label} {name(item)} drives no cost in the cost structure.",
                    target=item.id,
                )


def revenue_cost_gap(ctx: Context) -> Iterator[Hit]:
    revenue = bool(ctx.session.canvas.revenue_streams)
    costs = bool(ctx.session.canvas.cost_structure)
    if revenue != costs:
        has, lacks = ("revenue streams", "costs") if revenue else ("costs", "revenue streams")
        yield Hit(
            (),
            f"The canvas lists {has} but no {lacks}.",
            target="cost_structure" if revenue else "revenue_streams",
        )


RULES = (
    Rule(
        "canvas.block-empty",
        "info",
        "canvas",
        "a canvas block has no item",
        "The nine blocks describe one model together; an empty block is a question not yet "
        "answered.",
        block_empty,
    ),
    Rule(
        "canvas.segment-without-value",
        "warning",
        "canvas",
        "no value proposition serves the segment",
        "Each customer segment needs a value proposition made for its needs.",
        _segments_not_linked_by(
            "value_propositions", "No value proposition is made for customer segment {}."
        ),
    ),
    Rule(
        "canvas.value-without-segment",
        "warning",
        "canvas",
        "a value proposition serves no segment",
        "A value proposition answers what specific segments need; it has to say which.",
        value_without_segment,
    ),
    Rule(
        "canvas.segment-unreached",
        "warning",
        "canvas",
        "no channel reaches the segment",
        "Channels are the way value gets to each segment; without one it never arrives.",
        _segments_not_linked_by("channels", "No channel reaches customer segment {}."),
    ),
    Rule(
        "canvas.segment-without-relationship",
        "warning",
        "canvas",
        "no customer relationship covers the segment",
        "The kind of relationship depends on the segment; each one needs its own.",
        _segments_not_linked_by(
            "customer_relationships", "No customer relationship is set up for customer segment {}."
        ),
    ),
    Rule(
        "canvas.segment-without-revenue",
        "info",
        "canvas",
        "no revenue stream comes from the segment",
        "Segments differ in what they pay for and how; say what each one brings in.",
        _segments_not_linked_by(
            "revenue_streams",
            "No revenue stream comes from customer segment {}.",
            paying_only=True,
        ),
    ),
    Rule(
        "canvas.value-without-activity",
        "warning",
        "canvas",
        "no key activity creates the value",
        "The promise of a value proposition is kept by the activities that create it.",
        value_without_activity,
    ),
    Rule(
        "canvas.activity-without-resource",
        "warning",
        "canvas",
        "a key activity uses no resource",
        "Every activity runs on resources: people, assets, know-how, money.",
        activity_without_resource,
    ),
    Rule(
        "canvas.resource-unused",
        "warning",
        "canvas",
        "no key activity uses the resource",
        "A resource that no activity puts to work is a cost with no purpose.",
        resource_unused,
    ),
    Rule(
        "canvas.partner-idle",
        "warning",
        "canvas",
        "a partnership supplies nothing",
        "Partners are there to supply resources or carry out activities for the model.",
        partner_idle,
    ),
    Rule(
        "canvas.uncosted",
        "info",
        "canvas",
        "an activity or resource drives no cost",
        "Resources and activities are what the cost structure is made of.",
        uncosted,
    ),
    Rule(
        "canvas.revenue-cost-gap",
        "warning",
        "canvas",
        "revenue without costs, or costs without revenue",
        "Revenue and costs only make sense side by side: one without the other hides the margin.",
        revenue_cost_gap,
    ),
    Rule(
        "canvas.no-paying-segment",
        "warning",
        "canvas",
        "no customer segment pays",
        "A model may serve some sides for free, but its money has to come from someone.",
        no_paying_segment,
    ),
    Rule(
        "canvas.value-unpriced",
        "info",
        "canvas",
        "no revenue stream charges for the value proposition",
        "What you offer is what people pay for: every value proposition should earn through "
        "some revenue stream, unless it is a deliberate gift to a free side.",
        value_unpriced,
    ),
    Rule(
        "canvas.relationship-without-channel",
        "info",
        "canvas",
        "a customer relationship is kept through no channel",
        "A relationship lives in the channels where you meet the customer.",
        relationship_without_channel,
    ),
    Rule(
        "canvas.costs-exceed-revenue",
        "warning",
        "canvas",
        "the monthly costs are more than the monthly revenue",
        "At these estimates the business spends more each month than it earns: the price, the "
        "segments served or what drives the costs has to change.",
        costs_exceed_revenue,
    ),
)
