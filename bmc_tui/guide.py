"""The workshop's words: every prompt, hint and help text the screens and exports show.

Kept apart from the screens so that the TUI, the exports and the tests read one source,
and so that the wording can be reviewed without reading widget code. No Textual import.

The method comes from five source texts (the social business model, the Business Model
Canvas, core practices, strategy versus plan, and the marketing fitness test); the facts
carry over but the sentences here are the project's own.

Everything is immutable (frozen dataclasses, tuples, read-only mappings) because these
objects are shared by every screen of every session in the process.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Final


@dataclass(frozen=True)
class Prompt:
    """One question put to the room. `id` is the key its answer is stored under."""

    id: str
    question: str
    hint: str


@dataclass(frozen=True)
class StepHelp:
    """`purpose` sits at the top of the step's screen; `help` (Markdown) is the F1 page."""

    title: str
    purpose: str
    help: str


@dataclass(frozen=True)
class Choice:
    """One answer to a multiple-choice question: `key` is the value stored in the file."""

    key: str
    label: str
    text: str


@dataclass(frozen=True)
class Diagnostic:
    question: str
    hint: str
    choices: tuple[Choice, ...]

    def choice(self, key: str) -> Choice:
        for choice in self.choices:
            if choice.key == key:
                return choice
        raise KeyError(key)


@dataclass(frozen=True)
class Principle:
    key: str
    title: str
    summary: str
    questions: tuple[Prompt, ...]
    rating_hint: str


@dataclass(frozen=True)
class BlockGuide:
    title: str
    prompt: str
    belongs: str
    example: str
    link_prompts: Mapping[str, str]


@dataclass(frozen=True)
class PracticeGuide:
    intro: str
    practice: str
    routine: str
    campaign: str
    tests: tuple[Prompt, ...]
    checklist: Prompt
    model_or_plan: str
    keep_three: str
    kind_labels: Mapping[str, str]
    kind_hints: Mapping[str, str]
    link_prompt: str


@dataclass(frozen=True)
class Field:
    label: str
    hint: str


# -- steps ---------------------------------------------------------------------------

STEP_HELP: Final[Mapping[str, StepHelp]] = MappingProxyType(
    {
        "social": StepHelp(
            title="Social model",
            purpose=(
                "Before drawing anything, ask whether the way the business works suits you "
                "and the customers you most want to keep."
            ),
            help=(
                "## Why start here\n\n"
                "When sales are slow, most teams reach for more promotion. Often the real "
                "trouble sits deeper: the business is built in a way that drains its people "
                "or asks customers to buy in a way they dislike. No campaign repairs that.\n\n"
                "A business model describes how you create value, how it reaches customers "
                "and what comes back to you. A *social* model does all three in a way cut to "
                "fit your own strengths and your customers', and it uses the way you and "
                "they naturally get along to build things together.\n\n"
                "## How to run it\n\n"
                '1. Answer the opening question honestly; "Not sure yet" is a fine answer.\n'
                "2. Go through the four checks. Name examples, not intentions.\n"
                "3. For each of the five principles, answer its two questions, then rate "
                "the current model from 1 (it works against you) to 5 (it carries you).\n\n"
                "Low ratings are useful: they point at the parts of the canvas to rework "
                "before anyone spends money telling the world about it."
            ),
        ),
        "canvas": StepHelp(
            title="Canvas",
            purpose=(
                "Fill in all nine canvas blocks and link them to each other, so that "
                "every promise has a customer, a route to them and the work behind it."
            ),
            help=(
                "## Who first, then what\n\n"
                "Begin with the customer segments: everything else on the canvas is shaped "
                "for them. Then say what each segment gets (value propositions), how it "
                "reaches them (channels), what kind of contact you keep (relationships) and "
                "what they pay (revenue streams).\n\n"
                "Those customer-facing blocks sit on the right of the canvas. The left side "
                "is the machine behind the promise: the partners who supply what you do not "
                "have in-house, the activities that turn resources into value, the "
                "resources you rely on, and along the bottom, the costs all of that runs up "
                "next to the revenue it earns.\n\n"
                "## Link as you go\n\n"
                "The blocks only tell a story when they are connected. Tie each value "
                "proposition to the segments it serves, each activity to the value it "
                "creates and the resources it uses, each partner to what they supply and "
                "each cost to what drives it. Say which value propositions each revenue "
                "stream charges for (the offer sets the price), and through which channels "
                "each relationship is kept. The summary lists anything left hanging.\n\n"
                "## Money per month\n\n"
                "Revenue streams and costs can carry a rough amount per month. Where amounts "
                "are given, the two totals are shown side by side, and a model whose costs "
                "outrun its revenue is flagged. A segment served free on purpose (the free "
                "side of a platform, a free tier) can be marked as not paying; it then needs "
                "no revenue stream of its own, but somebody has to pay.\n\n"
                "## One change ripples\n\n"
                "The blocks depend on each other: change a segment and its value "
                "propositions, channels, relationships and revenue may need another look. "
                "When you edit or delete a segment, the items linked to it are listed so "
                "you can check each one.\n\n"
                "Short items beat long ones: one idea per item, in words a customer would "
                "recognise."
            ),
        ),
        "practices": StepHelp(
            title="Core practices",
            purpose=(
                "Name the few habits of the leaders that strengthen the value proposition "
                "every year, and keep the best three."
            ),
            help=(
                "## Practices are part of the model\n\n"
                "Core practices are the recurring things you and the people closest to you "
                "do because of what you believe about the business. Done for years, they "
                "are where much of the value comes from, and you keep improving at them.\n\n"
                "Plenty of frequent work is not a practice. Routine and urgent chores keep "
                "the lights on; campaigns win new customers. Both are business activities, "
                "yet neither makes the offer better for the customers you already have.\n\n"
                "## How to run it\n\n"
                "List every candidate the room suggests and mark its kind. Put each real "
                "practice through the test: do you keep getting better at it, does it build "
                "lasting value for customers, and could someone else or software do it just "
                "as well from a checklist? Keep the three that pass best and link each to "
                "the value propositions it strengthens.\n\n"
                "## Practice or plan task\n\n"
                "Practices are owned by the people who lead the business and improve with "
                "the years. Plan work can be handed to anyone, or to software, and usually "
                "runs in short cycles of one or two weeks. A task you could write down as a "
                "checklist is plan work, however often it comes round."
            ),
        ),
        "strategy": StepHelp(
            title="Strategy",
            purpose=(
                "Write down the why and the what for a fixed period: the change you are "
                "responsible for, how success is measured, and what it will cost."
            ),
            help=(
                "## Strategy is not a plan\n\n"
                "A strategy explains *why* and *what*, over a stated stretch of time. It "
                "names the slice of the company's vision you own and the change you "
                "promise to deliver in it. Without one, a plan is easy to push aside the "
                "moment a loud request arrives.\n\n"
                "## What goes in\n\n"
                "- Goals, each with a metric and a target, so success is defined up front: "
                "specific, measurable, achievable, relevant, and reached within the period.\n"
                "- Buyer context: who buys, how they decide and how they buy. It is what "
                "justifies the markets, programs and messages that follow.\n"
                "- The markets to concentrate on, chosen from the canvas's segments.\n"
                "- The programs you will lean on, each tied to goals.\n"
                "- The core messages you want heard.\n"
                "- Key dates, expected resource pinches, and efficiency policies that help "
                "every program at once.\n"
                "- A budget request that follows from all of the above.\n\n"
                "A strategy written this way is what gets a plan funded and lets the team "
                "say no to one-off asks."
            ),
        ),
        "plan": StepHelp(
            title="Plan",
            purpose=(
                "Turn the strategy into dated, owned activities, each tracked by a leading "
                "indicator and tied to a goal or program."
            ),
            help=(
                "## The when and the how\n\n"
                "The plan lists the campaigns, events, content and other activities that "
                "carry out the strategy, inside its period. Each item gets dates, an owner, "
                "a budget and a KPI with a target: a leading indicator you can watch long "
                "before the goal itself moves.\n\n"
                "## Avoid random acts\n\n"
                "An activity that serves no goal and no program cannot be measured or "
                "defended; it only feels like progress. Link every item upward.\n\n"
                "## Let the focus set the mix\n\n"
                "The purposes in the plan should follow the strategy's focus. Entering a "
                "new market calls mostly for awareness and first customers; a retention "
                "year calls for keeping and growing the customers you have."
            ),
        ),
        "fitness": StepHelp(
            title="Fitness",
            purpose=(
                "Four yes-or-no questions on how the marketing team works; a no marks "
                "where plans tend to fall apart."
            ),
            help=(
                "## An honest self-test\n\n"
                "Teams without an agreed process end up driven by whatever is urgent, "
                "lurching from tactic to tactic. These four questions ask whether yours "
                "can repeat its work, owns measurable goals, listens to the market and "
                "executes smoothly across teams.\n\n"
                "Answer for how things are today, not how they are meant to be. Very few "
                "teams can say yes to all four, and the last one is the hardest. A no is "
                "not a failure: it is a topic for the next conversation."
            ),
        ),
        "summary": StepHelp(
            title="Summary",
            purpose=(
                "Every misalignment in the session in one list, most serious first, each "
                "with the place to fix it."
            ),
            help=(
                "## Reading the findings\n\n"
                "- **Errors**: the session contradicts itself, such as a link to an item "
                "that no longer exists or dates in the wrong order. Fix these first.\n"
                "- **Warnings**: parts of the model, strategy or plan that do not line up. "
                "Each one deserves a conversation; some are accepted on purpose.\n"
                "- **Not done yet**: questions still open.\n\n"
                "Every finding can say *why* it matters, in terms of the method. Use that "
                "to decide together whether to change the session or to live with the gap."
            ),
        ),
    }
)


# -- social business model -----------------------------------------------------------

SOCIAL_DIAGNOSTIC: Final = Diagnostic(
    question="Is promotion really what's holding you back, or is it the model?",
    hint=(
        "Think of the last few months: lots of marketing effort with little to show for it "
        "often means the way the business works is the thing to look at."
    ),
    choices=(
        Choice(
            key="promotion",
            label="Promotion",
            text=(
                "The model suits us and our customers; people simply don't know about us "
                "yet. The ratings below will test that belief."
            ),
        ),
        Choice(
            key="model",
            label="The model",
            text=(
                "We market hard and it barely shows in revenue or in the people we help; "
                "the way the business is built needs work."
            ),
        ),
        Choice(
            key="unsure",
            label="Not sure yet",
            text="We can't tell yet. The checks and ratings of this step should show which.",
        ),
    ),
)

SOCIAL_CHECKS: Final[tuple[Prompt, ...]] = (
    Prompt(
        id="check.strengths",
        question="Does the model use your strengths and the way your team works best?",
        hint="Where does the business rely on you pushing through instead of on what you do well?",
    ),
    Prompt(
        id="check.valued_clients",
        question="Does it match the way your most valued clients like to be served?",
        hint="Picture the clients you'd gladly clone. How do they want to buy, and to be helped?",
    ),
    Prompt(
        id="check.whole_customer",
        question="Does it serve the whole customer, as their needs change over time?",
        hint="What do customers need next year that they don't need now, and can you follow?",
    ),
    Prompt(
        id="check.conversation",
        question="Does it allow for the conversation the business and its customers share?",
        hint="What are customers talking about, and how does the model bend as that shifts?",
    ),
)

PRINCIPLES: Final[tuple[Principle, ...]] = (
    Principle(
        key="evolving_customer",
        title="Customers keep changing",
        summary=(
            "Customers are people whose questions, needs and wishes move on. Businesses "
            "follow them differently: made-to-measure service, a wide range of specialised "
            "products, or one product that keeps gaining options."
        ),
        questions=(
            Prompt(
                id="evolving_customer.strengths",
                question="Which of those ways of following customers plays to your strengths?",
                hint="Tailored service, a broad range, or one product that grows?",
            ),
            Prompt(
                id="evolving_customer.service",
                question="How do your customers prefer to be looked after?",
                hint="Ask them, or watch what the ones who stay longest actually do.",
            ),
        ),
        rating_hint=(
            "1: the model serves customers as they were when they first bought. "
            "5: it grows with them as their needs change."
        ),
    ),
    Principle(
        key="conversation",
        title="The market is a conversation",
        summary=(
            "A target market is a conversation among customers, and they steer it, not "
            "you. You can take part; a good model is flexible enough to move with it."
        ),
        questions=(
            Prompt(
                id="conversation.strengths",
                question="Where do your strengths meet what customers are talking about now?",
                hint="Which recurring questions from customers are you the best placed to answer?",
            ),
            Prompt(
                id="conversation.guidance",
                question="How can customers help decide where that conversation goes next?",
                hint="Forums, meet-ups, votes, interviews: what gives them a real say?",
            ),
        ),
        rating_hint=(
            "1: the business broadcasts and ignores what customers discuss. "
            "5: it joins the conversation and adapts as it moves."
        ),
    ),
    Principle(
        key="function_first",
        title="Function first",
        summary=(
            "People pay for the result, not the tool: a hole in the wall matters more "
            "than the drill that makes it. Each offer should grow from a need customers "
            "feel, before anyone decides its format or price, rather than from a menu of "
            "offers fixed in advance."
        ),
        questions=(
            Prompt(
                id="function_first.holes",
                question="What results are customers really asking you for?",
                hint="Describe the outcome they want, not the product you sell.",
            ),
            Prompt(
                id="function_first.unique",
                question="Which of those results are you unusually well equipped to deliver?",
                hint="What can you do here that others would find hard to copy?",
            ),
        ),
        rating_hint=(
            "1: offers are built around a format or price chosen first. "
            "5: every offer starts from a need customers have."
        ),
    ),
    Principle(
        key="mastery_and_ease",
        title="Mastery and ease",
        summary=(
            "Part of working at your best is knowing the way your business runs well. "
            "Some excel at personal service, some at custom work, some at reaching a crowd; "
            "few at all of them. When you work that way, customers relax."
        ),
        questions=(
            Prompt(
                id="mastery_and_ease.mastery",
                question="At what times do you and your team feel in full command of the craft?",
                hint="Recall a day when the work flowed. What were you doing?",
            ),
            Prompt(
                id="mastery_and_ease.ease",
                question="At what moments are your customers most comfortable with you?",
                hint="At which moments do they stop worrying and simply trust you?",
            ),
        ),
        rating_hint=(
            "1: the model makes you work in ways you're poor at and customers feel it. "
            "5: you work at your best and customers are at ease."
        ),
    ),
    Principle(
        key="customer_guided",
        title="Customer-guided decisions",
        summary=(
            "Founders rarely lack ideas; the hard part is choosing among many attractive "
            "options. Customers, asked directly or observed, help you choose with more "
            "confidence: what to build and when, and how to price it."
        ),
        questions=(
            Prompt(
                id="customer_guided.system",
                question="Is there a fixed way for the customer's view to reach each decision?",
                hint="A habit, a meeting or a step in the process, not good intentions.",
            ),
            Prompt(
                id="customer_guided.listening",
                question="Do you really hear what customers tell you?",
                hint="When did customer feedback last change a decision?",
            ),
        ),
        rating_hint=(
            "1: decisions are made without the customer in mind. "
            "5: the customer's view is weighed in every decision."
        ),
    ),
)

# Every prompt whose answer goes into `[social.answers]`, in the order the screen asks.
SOCIAL_PROMPTS: Final[tuple[Prompt, ...]] = (
    *SOCIAL_CHECKS,
    *(prompt for principle in PRINCIPLES for prompt in principle.questions),
)


# -- canvas --------------------------------------------------------------------------

_SEGMENTS_FOR = "Which customer segments is this for?"

BLOCK_GUIDE: Final[Mapping[str, BlockGuide]] = MappingProxyType(
    {
        "customer_segments": BlockGuide(
            title="Customer Segments",
            prompt="Who do you create value for?",
            belongs=(
                "Distinct groups of people or organisations you serve, told apart by need, "
                "behaviour, demographics or place. A platform has at least two groups that "
                "need each other. Every other block is shaped around these."
            ),
            example="Freelance bookkeepers looking after ten to forty sole-trader clients",
            link_prompts=MappingProxyType({}),
        ),
        "value_propositions": BlockGuide(
            title="Value Propositions",
            prompt="Why would this segment pick you over the alternatives?",
            belongs=(
                "The promise to a segment: the problem you solve or the gain you bring, and "
                "what sets it apart from other options. Write one per distinct promise; "
                "different segments usually need different ones."
            ),
            example="Bank transactions sorted into tax categories all year",
            link_prompts=MappingProxyType({"segments": _SEGMENTS_FOR}),
        ),
        "channels": BlockGuide(
            title="Channels",
            prompt="How do you reach each segment and get the value to them?",
            belongs=(
                "The routes for talking to, selling to and delivering to customers: online "
                "(apps, websites, email, search, social media) or offline (shops, events, "
                "print, partners, word of mouth)."
            ),
            example="Referrals from farmers' market and food-hall organisers",
            link_prompts=MappingProxyType({"segments": "Which segments does this channel reach?"}),
        ),
        "customer_relationships": BlockGuide(
            title="Customer Relationships",
            prompt="What kind of relationship does each segment expect?",
            belongs=(
                "How you win, keep and grow customers, from personal help (a named contact, "
                "onboarding calls) to automated or shared forms (self-service, reviews, a "
                "community). Premium or niche groups tend to want more personal contact."
            ),
            example="A twenty-minute onboarding call for each new Plus subscriber",
            link_prompts=MappingProxyType(
                {
                    "segments": "Which segments is this relationship for?",
                    "channels": "Through which channels is this relationship kept?",
                }
            ),
        ),
        "revenue_streams": BlockGuide(
            title="Revenue Streams",
            prompt="What does each segment pay for, and how?",
            belongs=(
                "The ways money comes in: one-off sales, subscriptions, commissions, usage "
                "or service fees, licences, rental, advertising. Segments differ in what "
                "they will pay and how they prefer to pay it."
            ),
            example="15% commission on every booked hour",
            link_prompts=MappingProxyType(
                {
                    "segments": "Which segments pay this?",
                    "propositions": "Which value propositions does this stream charge for?",
                }
            ),
        ),
        "key_activities": BlockGuide(
            title="Key Activities",
            prompt="What must you do well for the model to work?",
            belongs=(
                "The work that creates and delivers the value: making things, solving "
                "customers' problems, running a platform or network, research, marketing. "
                "Name the activities, not the daily chores."
            ),
            example="Settling breakage and cleanliness disputes within 48 hours",
            link_prompts=MappingProxyType(
                {
                    "value_propositions": "Which value propositions does this activity create?",
                    "resources": "Which key resources does it need?",
                }
            ),
        ),
        "key_resources": BlockGuide(
            title="Key Resources",
            prompt="What assets does the model rely on?",
            belongs=(
                "What you need to own or control to deliver: physical (premises, "
                "equipment), intellectual (brand, data, know-how, patents), human (skilled "
                "people) or financial (capital, credit)."
            ),
            example="Tax category rules kept for every tax year",
            link_prompts=MappingProxyType({}),
        ),
        "key_partnerships": BlockGuide(
            title="Key Partnerships",
            prompt="Who supplies what you do not do or own yourself?",
            belongs=(
                "Suppliers, alliances, joint ventures and outsourced work that give you "
                "resources or take on activities, lower risk or open markets you could not "
                "reach alone."
            ),
            example="Open-banking provider supplying the bank feeds",
            link_prompts=MappingProxyType(
                {"supplies": "Which key resources or activities does this partner supply?"}
            ),
        ),
        "cost_structure": BlockGuide(
            title="Cost Structure",
            prompt="What are the main costs of running this model?",
            belongs=(
                "The big costs, fixed (salaries, rent, hosting) and variable (per-unit or "
                "per-transaction fees). They come from the resources and activities, and "
                "only make sense next to the revenue streams."
            ),
            example="Insurance premiums per booked shift",
            link_prompts=MappingProxyType(
                {"drivers": "Which key activities or resources drive this cost?"}
            ),
        ),
    }
)


AMOUNT_LABELS: Final[Mapping[str, str]] = MappingProxyType(
    {
        "revenue_streams": "Estimated revenue per month (optional)",
        "cost_structure": "Estimated cost per month (optional)",
    }
)
AMOUNT_HINT: Final = "e.g. 1200, 1,200 or 1 200.50"
PAYS_LABEL: Final = "Does not pay: served free on purpose"
PAYS_HINT: Final = (
    "Tick for the free side of a platform or a free tier that others pay for. It then "
    "needs no revenue stream of its own."
)


# -- core practices ------------------------------------------------------------------

PRACTICE_GUIDE: Final = PracticeGuide(
    intro=(
        "A business model includes more than blocks on a canvas: it also holds the few "
        "practices its leaders keep up, out of conviction, that make the offer better "
        "year after year."
    ),
    practice=(
        "A core practice is a recurring habit of the leaders and the people closest to "
        "them, rooted in what they believe about the business. You get more skilled at it "
        "with time, and it serves customers first: keeping them matters more than "
        "winning new ones."
    ),
    routine=(
        "Routine and urgent tasks (paying suppliers, clearing the inbox, booking meetings) "
        "have to be done, sometimes daily, but doing them more or better builds nothing a "
        "customer will value later. They belong to running the business, not to its model."
    ),
    campaign=(
        "Campaign activities are creative and bring in new customers, which is why they "
        "are tempting. They still don't count: they acquire customers rather than build "
        "lasting value for them, and they belong in the plan."
    ),
    tests=(
        Prompt(
            id="improves",
            question="Do you keep getting better at it over time?",
            hint="Would you do it noticeably better in a year than today?",
        ),
        Prompt(
            id="long_term_value",
            question="Does it help you build more lasting value for your customers?",
            hint="Would customers feel the difference after a few years of it?",
        ),
    ),
    checklist=Prompt(
        id="checklist",
        question="Could someone else, or software, do it well by following a checklist?",
        hint="If yes, it is a task to hand over in the plan, not a core practice.",
    ),
    model_or_plan=(
        "A core practice belongs to the people who lead the business: it comes from what "
        "they believe, and they get better at it year after year. Plan work is different: "
        "anyone can carry it out (staff, a contractor, software), often in cycles of one "
        "or two weeks that are adjusted as results come in. If a checklist would be "
        "enough, it is plan work."
    ),
    keep_three=(
        "Keep three: the candidates that pass the test most clearly. Three is few enough "
        "to live by every day and enough to describe how the business wins."
    ),
    kind_labels=MappingProxyType(
        {"practice": "Core practice", "routine": "Routine task", "campaign": "Campaign"}
    ),
    kind_hints=MappingProxyType(
        {
            "practice": "A habit you improve at that builds value for customers over years.",
            "routine": "Frequent or urgent upkeep that keeps things running; no lasting value.",
            "campaign": "Creative work that wins new customers; it belongs in the plan.",
        }
    ),
    link_prompt="Which value propositions does this practice make stronger?",
)


# Longer explanations reachable from a step's F1 page, after its help.
STEP_MORE: Final[Mapping[str, str]] = MappingProxyType(
    {
        "practices": (
            "## What makes a core practice\n\n"
            f"{PRACTICE_GUIDE.intro}\n\n{PRACTICE_GUIDE.practice}\n\n"
            "## What does not\n\n"
            f"{PRACTICE_GUIDE.routine}\n\n{PRACTICE_GUIDE.campaign}\n\n"
            f"{PRACTICE_GUIDE.model_or_plan}"
        ),
    }
)


# -- strategy and plan ---------------------------------------------------------------

STRATEGY_FIELDS: Final[Mapping[str, Field]] = MappingProxyType(
    {
        "start": Field("Start", "The first day the strategy covers (YYYY-MM-DD)."),
        "end": Field("End", "The last day the strategy covers; often six or twelve months on."),
        "vision": Field(
            "Vision",
            "The part of the company's vision this strategy is responsible for.",
        ),
        "transformation": Field(
            "Transformation",
            "What will be different by the end date if the strategy works.",
        ),
        "focus": Field(
            "Focus",
            "What the period must achieve for the business, not what one activity does. "
            "The plan's purposes follow from it: opening a market, launching a product or "
            "becoming known call mostly for awareness and acquisition work; keeping "
            "customers calls for retention and upsell.",
        ),
        "budget": Field(
            "Budget request",
            "The money asked for, and how it follows from goals, markets and programs.",
        ),
        "buyers": Field(
            "Buyer context",
            "Who buys in these markets, how they decide and how they buy: the markets, "
            "programs and messages below rest on it.",
        ),
        "goals": Field(
            "Goals",
            "What success means, each with a metric and a target you can check at the end.",
        ),
        "markets": Field(
            "Focus markets",
            "The markets to concentrate on; link each to the canvas segments it covers.",
        ),
        "programs": Field(
            "Programs",
            "The recurring programs you will lean on; link each to the goals it serves.",
        ),
        "messages": Field(
            "Core messages",
            "What you want the focus markets to hear and remember, in a line each.",
        ),
        "pinches": Field(
            "Resource pinches",
            "Where people, time or money will run short, and roughly when.",
        ),
        "policies": Field(
            "Efficiency policies",
            "Rules that make every program cheaper or faster, such as fewer review rounds.",
        ),
        "dates": Field(
            "Key dates",
            "Launches, market entries, deadlines and reviews that the plan must respect.",
        ),
    }
)

# What makes a goal SMART, each letter in the workshop's words; the time bound is the
# strategy's own period.
SMART_INTRO: Final = "A goal that can be funded and defended is SMART:"
SMART_PARTS: Final[tuple[tuple[str, str], ...]] = (
    ("Specific", "it says what will change, and for whom"),
    ("Measurable", "it has a metric you can count and a target value for it"),
    ("Achievable", "it is within reach of the people, time and budget you have"),
    ("Relevant", "it moves the part of the vision this strategy is responsible for"),
    ("Time-bound", "it is reached within the strategy's period"),
)
SMART_PERIOD: Final = "Here that means by {end}, the end of the strategy period."
SMART_NO_PERIOD: Final = "Set the period (section 1) to give every goal its time bound."

PLAN_FIELDS: Final[Mapping[str, Field]] = MappingProxyType(
    {
        "title": Field(
            "Title", "The activity in a few words: a campaign, event, piece of content."
        ),
        "purpose": Field(
            "Purpose",
            "What this one activity does. The strategy's focus is the aim of the whole "
            "period; across the plan, the purposes should be the ones that focus needs.",
        ),
        "start": Field("Start", "When work on it begins, inside the strategy period."),
        "end": Field("End", "When it finishes, inside the strategy period."),
        "owner": Field("Owner", "The one person accountable for it."),
        "budget": Field("Budget", "The money set aside for it, as a number."),
        "kpi": Field(
            "KPI",
            "The leading indicator that shows early whether it is working.",
        ),
        "target": Field("Target", "The KPI value that counts as success, and by when."),
        "goals": Field("Goals", "The strategy goals it works toward directly."),
        "programs": Field("Programs", "The strategy programs it belongs to."),
        "segments": Field(
            "Segments",
            "The customer segments it is aimed at; best chosen from the focus markets.",
        ),
    }
)

FOCUS_LABELS: Final[Mapping[str, str]] = MappingProxyType(
    {
        "new-market": "Open a new market",
        "market-share": "Win market share",
        "launch": "Launch a new product or service",
        "awareness": "Become known where you are not yet",
        "upsell": "Sell more to current customers",
        "retention": "Keep current customers",
    }
)

PURPOSE_LABELS: Final[Mapping[str, str]] = MappingProxyType(
    {
        "awareness": "Awareness",
        "acquisition": "Acquisition",
        "upsell": "Upsell",
        "retention": "Retention",
        "enablement": "Enablement",
    }
)


# -- marketing fitness ---------------------------------------------------------------

FITNESS_QUESTIONS: Final[tuple[Prompt, ...]] = (
    Prompt(
        id="scalable_process",
        question="Does your marketing run on a process you can repeat and scale?",
        hint="Would the same work be done the same way next quarter, by someone new?",
    ),
    Prompt(
        id="accountability",
        question="Is the team held to measurable goals, with clear roles for everyone?",
        hint="Specific, measurable, time-bound goals; KPIs; one owner per objective.",
    ),
    Prompt(
        id="market_driven",
        question="Are product and service decisions led by the market?",
        hint="Aligned with segments and value, and shaped by what customers actually say.",
    ),
    Prompt(
        id="efficient_execution",
        question="Does the team execute efficiently, in step with the other teams?",
        hint="Work flows across departments quickly and turns demand into results.",
    ),
)
