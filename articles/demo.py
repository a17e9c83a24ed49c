"""Demo content: a small fictional newsroom in the coastal city of Port Aldren.

Everything here is invented for this project. ``load_demo()`` creates the content
or brings it up to date, keyed on slugs, and touches nothing else in the database.
It never overwrites an editor's work: what it wrote is fingerprinted
(``DemoRecord``), and a demo object changed since is left as the editor left it.
Publication times are worked out from the current time when a story is first
created and kept as stored afterwards, so loading again never moves a story.
"""

import colorsys
import datetime
import io
import math
import random
import re

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from PIL import Image, ImageDraw

from media.models import Photo
from media.renditions import make_renditions
from media.services import attach_picture
from people.models import Journalist, Source

from . import publishing
from .html import sanitize_html
from .importing.store import checksum
from .models import (
    Article,
    Byline,
    Correction,
    DemoRecord,
    Publication,
    Quote,
    Section,
    newsroom_timezone,
)

SECTIONS = [
    {
        "slug": "city",
        "name": "City",
        "description": "Council, transport, housing and life in Port Aldren.",
        "position": 0,
    },
    {
        "slug": "business",
        "name": "Business",
        "description": "The harbour, the high street and the people who make a "
        "living on the Aldren coast.",
        "position": 1,
    },
    {
        "slug": "environment",
        "name": "Environment",
        "description": "The bay, the river and the moors: the nature Port Aldren "
        "lives beside, and what is happening to it.",
        "position": 2,
    },
    {
        "slug": "sport",
        "name": "Sport",
        "description": "Aldren Rovers, the harbour swim and grassroots sport "
        "across the region.",
        "position": 3,
    },
]

PUBLICATIONS = [
    {"name": "The Westmarch Herald", "url": "https://www.westmarch-herald.example/"},
]

JOURNALISTS = [
    {
        "slug": "mara-quill",
        "name": "Mara Quill",
        "role": "Chief reporter",
        "bio": "Mara Quill has covered Port Aldren’s council chamber, courts and "
        "touchlines for eleven years. She grew up in Northcliff and still takes "
        "the seafront tram to work whenever it is running.",
    },
    {
        "slug": "tobias-wren",
        "name": "Tobias Wren",
        "role": "Business reporter",
        "bio": "Tobias Wren writes about the harbour, shipping and the city’s "
        "small businesses. Before joining the newsroom he spent six years as a "
        "ship’s purser on the Skerry Isles ferries.",
    },
    {
        "slug": "niamh-oduya",
        "name": "Niamh Oduya",
        "role": "Environment correspondent",
        "bio": "Niamh Oduya reports on the Aldren coast and its hinterland, from "
        "seagrass surveys in the bay to farming on Kelby Moor. She trained as a "
        "hydrologist before turning to journalism.",
    },
    {
        # A journalist with no stories yet: shows an author page with nothing on it.
        "slug": "jonah-pike",
        "name": "Jonah Pike",
        "role": "Staff photographer",
        "bio": "Jonah Pike has photographed Port Aldren for the newsroom since "
        "2019, usually from somewhere cold, wet and high up.",
    },
]

SOURCES = [
    {
        "slug": "helen-marrow",
        "name": "Helen Marrow",
        "description": "a marine biologist at Aldren University",
        "organisation": "Aldren University",
        "kind": "person",
    },
    {
        "slug": "ruth-penhallow",
        "name": "Ruth Penhallow",
        "description": "the leader of Port Aldren City Council",
        "organisation": "Port Aldren City Council",
        "kind": "person",
    },
    {
        "slug": "port-aldren-harbour-authority",
        "name": "Port Aldren Harbour Authority",
        "description": "the public body that runs the port",
        "kind": "organisation",
    },
    {
        "slug": "sam-okoro",
        "name": "Sam Okoro",
        "description": "the owner of the Tidewater Bakery on Quay Street",
        "organisation": "Tidewater Bakery",
        "kind": "person",
    },
    {
        "slug": "gareth-lowe",
        "name": "Gareth Lowe",
        "description": "the head coach of Aldren Rovers",
        "organisation": "Aldren Rovers FC",
        "kind": "person",
    },
    {
        "slug": "lina-castro",
        "name": "Lina Castro",
        "description": "a ferry deckhand and Skerry Isles representative of the "
        "Maritime Workers’ Union",
        "organisation": "Maritime Workers’ Union",
        "kind": "person",
    },
    {
        "slug": "port-aldren-chamber-of-commerce",
        "name": "Port Aldren Chamber of Commerce",
        "description": "the city’s business association",
        "kind": "organisation",
    },
    {
        "slug": "ewan-tregarth",
        "name": "Ewan Tregarth",
        "description": "a sheep farmer on Kelby Moor",
        "kind": "person",
    },
    {
        "slug": "aldren-bay-swimming-club",
        "name": "Aldren Bay Swimming Club",
        "description": "the club that organises the harbour swim",
        "kind": "organisation",
    },
    {
        "slug": "anya-velez",
        "name": "Anya Velez",
        "description": "a marine engineer at Aldren University and co-founder of "
        "Tidewell Energy",
        "organisation": "Aldren University",
        "kind": "person",
    },
    {
        # Anonymous: the name is for the desk only. The slug is public (it is in
        # addresses), so it must not give the name away either.
        "slug": "anonymous-harbour-official",
        "name": "Philippa Dunmore",
        "description": "a senior official at the Port Aldren Harbour Authority",
        "organisation": "Port Aldren Harbour Authority",
        "kind": "person",
        "on_record": False,
        "notes": "Spoke on condition of anonymity because the berth talks are "
        "confidential. Identity known to the news editor.",
    },
]

# Publication states, worked out when a story is first created:
#   {"days_ago": n, "at": "HH:MM"}          published n days ago at that local time
#   {"days_ago": n, "date_only": True}      published on that day, no time given
#   {"days_ahead": n, "at": "HH:MM"}        scheduled: published, time in the future
#   None                                    draft
# Quotes are (source slug, kind, text); direct quotes appear word for word in the
# body. A photo's "scene" and "palette" (hues, 0-360) shape its generated picture.
STORIES = [
    {
        "slug": "seafront-tram-line-to-reopen",
        "headline": "Seafront tram line to reopen in April after two-year rebuild",
        "standfirst": "The 4.2km line along Marine Parade has been closed since "
        "salt water was found eating into its power masts. The council says "
        "fares will not rise when it returns.",
        "dateline": "PORT ALDREN",
        "section": "city",
        "tags": ["transport", "trams", "seafront", "city council"],
        "bylines": [("mara-quill", "")],
        "publish": {"days_ago": 1, "at": "07:30"},
        "body": """
<p>Trams will run along Port Aldren’s seafront again from the first week of
April, the city council confirmed on Tuesday, ending a two-year closure that has
pushed thousands of commuters onto crowded replacement buses along Marine Parade.</p>
<p>The 4.2-kilometre line, which links the ferry terminal with the terraced
streets of Northcliff, was shut after inspectors found that salt spray had
corroded the foundations of its overhead power masts. Engineers have since
replaced all 86 masts and relaid the track on a raised concrete bed designed to
stay clear of winter storm surges.</p>
<p>“The seafront line is how half this city gets to work, and it has been missed
every single day it has been closed,” said Ruth Penhallow, the leader of the city
council. She said fares would be held at their current level for at least the
first year of the reopened service.</p>
<p>The rebuild has cost £38 million, about £6 million more than first budgeted.
Council papers put most of the overrun down to the price of marine-grade steel
and to three weeks lost during the storms of last November, when waves broke
over the new trackbed before its sea wall was finished.</p>
<p>Test runs without passengers begin next month. Drivers, most of whom spent
the closure on bus routes, will retrain on the line’s six new trams, which have
step-free doors and space for two wheelchairs and four bicycles.</p>
<p>Traders on Marine Parade, several of whom said takings fell during the
closure, welcomed the date but asked the council to keep the temporary bus lanes
until the trams had proved they could run reliably through a full winter.</p>
""",
        "quotes": [
            (
                "ruth-penhallow",
                "direct",
                "The seafront line is how half this city gets to work, and it has "
                "been missed every single day it has been closed.",
            ),
            (
                "ruth-penhallow",
                "paraphrase",
                "Fares will be held at their current level for at least the first "
                "year of the reopened service.",
            ),
        ],
        "photo": {
            "caption": "A test tram stands at the Northcliff terminus on Marine "
            "Parade, beside the rebuilt sea wall.",
            "credit": "Jonah Pike",
            "alt_text": "A modern tram at a seafront stop, with the sea wall and "
            "calm water behind it at dawn.",
            "scene": "town",
            "palette": (28, 200),
        },
    },
    {
        "slug": "aldren-bay-seagrass-recovery",
        "headline": "Seagrass is returning to Aldren Bay faster than scientists "
        "expected",
        "standfirst": "Divers mapping the bay found meadows where five years ago "
        "there was bare sand. Researchers link the recovery to the closure of two "
        "storm overflows.",
        "dateline": "PORT ALDREN",
        "section": "environment",
        "tags": ["seagrass", "Aldren Bay", "water quality", "Aldren University"],
        "bylines": [("niamh-oduya", "")],
        "publish": {"days_ago": 3, "at": "11:15"},
        "body": """
<p>Seagrass meadows in Aldren Bay have more than doubled in area in five years,
according to a survey by Aldren University that found dense beds of the plant on
stretches of seabed that were bare sand when divers last mapped them.</p>
<p>The team surveyed 40 hectares of the bay’s shallow northern shelf over the
summer, swimming set lines and photographing the seabed every ten metres. They
found seagrass over 14 hectares, compared with six hectares in the previous
survey.</p>
<p>“We went out expecting to find a few green patches, and instead we were
swimming over meadows,” said Dr Helen Marrow, a marine biologist at Aldren
University who led the work.</p>
<p>Marrow said the recovery was most likely linked to the closure of two storm
overflow pipes at Gull Point, which until four years ago discharged diluted sewage
into the bay after heavy rain. Clearer water lets more light reach the seabed,
which seagrass needs to grow.</p>
<p>Seagrass shelters young fish, including the bass and pollack that the bay’s
small fleet depends on, and stores carbon in the sediment beneath it. It also
damps waves, which coastal engineers say could help protect the seafront during
storms.</p>
<p>The researchers warned that the meadows remain fragile. Anchors dragged by
leisure boats have already cut scars through the largest bed, and the university
has asked the harbour authority to consider fixed moorings in the area.</p>
""",
        "quotes": [
            (
                "helen-marrow",
                "direct",
                "We went out expecting to find a few green patches, and instead we "
                "were swimming over meadows.",
            ),
            (
                "helen-marrow",
                "paraphrase",
                "The recovery is most likely linked to the closure of two storm "
                "overflow pipes at Gull Point.",
            ),
        ],
        "corrections": [
            {
                "text": "An earlier version of this story said the survey covered "
                "400 hectares of the bay. It covered 40 hectares.",
                "hours_after": 26,
            },
        ],
        "photo": {
            "caption": "Shallow water over the northern shelf of Aldren Bay, where "
            "the university’s divers mapped the new seagrass beds.",
            "credit": "Jonah Pike",
            "alt_text": "Clear green water in a sheltered bay, with low hills on the "
            "far shore under a pale sky.",
            "scene": "bay",
            "palette": (165, 190),
        },
    },
    {
        "slug": "harbour-authority-container-berth-plan",
        "headline": "Harbour authority draws up plans for deep-water berth at "
        "Kestle Quay",
        "standfirst": "The berth would let the largest container ships call at "
        "Port Aldren for the first time, but the money to build it has not been "
        "found.",
        "dateline": "PORT ALDREN",
        "section": "business",
        "tags": ["harbour", "shipping", "Kestle Quay", "jobs"],
        "bylines": [("tobias-wren", ""), ("mara-quill", "Additional reporting")],
        "publish": {"days_ago": 5, "at": "16:40"},
        "body": """
<p>Port Aldren Harbour Authority has drawn up plans for a deep-water container
berth at Kestle Quay that would allow ships of up to 300 metres to call at the
port, more than twice the length of the largest vessels it can take today.</p>
<p>The authority said the berth could bring up to 400 jobs to the port and the
haulage firms that serve it, and would end the need to send containers bound for
the Aldren valley by road from larger ports further along the coast.</p>
<p>The plans, shown to the authority’s board last week, include dredging a new
channel to a depth of 16 metres and building a 420-metre quay wall on land that
is now used to store timber.</p>
<p>But the scheme has no funding. The authority has not said how much it would
cost, and it is understood to be seeking a private partner to pay for most of
the work in return for a long lease on the berth.</p>
<p>“Nobody on the board thinks the money is there yet. This is a plan looking for
a partner,” said a senior official at the authority, who asked not to be named
because the talks are confidential.</p>
<p>Timber importers who use Kestle Quay said they had not been consulted. The
authority said it would talk to every tenant affected before any application
for planning permission was made.</p>
""",
        "quotes": [
            (
                "port-aldren-harbour-authority",
                "paraphrase",
                "The berth could bring up to 400 jobs to the port and the haulage "
                "firms that serve it.",
            ),
            (
                "anonymous-harbour-official",
                "direct",
                "Nobody on the board thinks the money is there yet. This is a plan "
                "looking for a partner.",
            ),
        ],
        "photo": {
            "caption": "Cranes at Kestle Quay, where the harbour authority wants to "
            "build a 420-metre quay wall.",
            "credit": "Jonah Pike",
            "alt_text": "Dockside cranes silhouetted against an orange evening sky "
            "above a quay and still water.",
            "scene": "harbour",
            "palette": (18, 215),
        },
    },
    {
        "slug": "aldren-rovers-clinch-promotion",
        "headline": "Aldren Rovers clinch promotion with stoppage-time winner",
        "standfirst": "Kofi Brennan’s header in the 93rd minute beat Westmarch "
        "Athletic 2-1 in front of a sell-out crowd at Gull Park.",
        "dateline": "PORT ALDREN",
        "section": "sport",
        "tags": ["football", "Aldren Rovers", "Gull Park"],
        "bylines": [("mara-quill", "")],
        "publish": {"days_ago": 2, "at": "21:50"},
        "body": """
<p>Aldren Rovers are promoted. Kofi Brennan rose highest at the far post three
minutes into stoppage time to head in Dean Ashby’s corner, beating Westmarch
Athletic 2-1 and sending a sell-out crowd of 6,200 at Gull Park onto the pitch
at the final whistle.</p>
<p>Rovers needed a win to go up with a game to spare and looked to be heading for
a tense final weekend after Westmarch equalised early in the second half through
a deflected shot from the edge of the area.</p>
<p>The home side had led through Ashby’s low free kick after 24 minutes and
dominated the first half, but they struggled to break down a Westmarch side who
dropped deep after their equaliser and defended in numbers.</p>
<p>“I told them at half-time that one moment would decide it, and it did. I’m
proud of every one of them,” said Gareth Lowe, the Rovers head coach, who took
charge two seasons ago with the club near the foot of the table.</p>
<p>Lowe said the club would keep faith with the squad that had won promotion
rather than rebuilding over the summer, and that he expected every player under
contract to stay.</p>
<p>It is the club’s first promotion in 14 years. Rovers finish their season away
at Kelby Town on Saturday, when they will be presented with the trophy if they
avoid defeat.</p>
""",
        "quotes": [
            (
                "gareth-lowe",
                "direct",
                "I told them at half-time that one moment would decide it, and it "
                "did. I’m proud of every one of them.",
            ),
            (
                "gareth-lowe",
                "paraphrase",
                "The club will keep faith with the squad that won promotion rather "
                "than rebuilding over the summer.",
            ),
        ],
        "photo": {
            "caption": "Supporters on the pitch at Gull Park after Aldren Rovers "
            "secured promotion.",
            "credit": "Jonah Pike",
            "alt_text": "Floodlights shining over a football pitch at night, with a "
            "crowd gathered on the grass.",
            "scene": "stadium",
            "palette": (230, 130),
        },
    },
    {
        "slug": "quay-street-traders-rent-relief",
        "headline": "Quay Street traders call for rent relief as footfall slumps",
        "standfirst": "Independent shops on the city’s oldest street say rent "
        "rises of up to a fifth could close them before the tram returns.",
        "dateline": "PORT ALDREN",
        "section": "business",
        "tags": ["high street", "small business", "Quay Street", "rents"],
        "bylines": [("tobias-wren", "")],
        "publish": {"days_ago": 9, "date_only": True},
        "body": """
<p>Shopkeepers on Quay Street have asked Port Aldren City Council to step in
after their landlord raised rents by as much as 20 per cent, at a time when they
say fewer people than ever are walking down the city’s oldest shopping street.</p>
<p>Eleven of the street’s 17 independent businesses have signed a letter to the
council asking it to use its stake in the property company that owns most of the
buildings to press for a rent freeze until the seafront tram reopens.</p>
<p>“We’re not asking for a handout. We’re asking for a landlord who talks to us
before the rent goes up by a fifth,” said Sam Okoro, who has run the Tidewater
Bakery at the bottom of the street for nine years.</p>
<p>Okoro said his takings had fallen by almost a third since the tram stop at the
foot of Quay Street closed, and that two neighbouring shops had already left.</p>
<p>The Port Aldren Chamber of Commerce said it would put the traders’ case to the
council’s regeneration committee when it meets next month. The property company
did not respond to a request for comment.</p>
""",
        "quotes": [
            (
                "sam-okoro",
                "direct",
                "We’re not asking for a handout. We’re asking for a landlord who "
                "talks to us before the rent goes up by a fifth.",
            ),
            (
                "port-aldren-chamber-of-commerce",
                "paraphrase",
                "The chamber will put the traders’ case to the council’s "
                "regeneration committee when it meets next month.",
            ),
        ],
        "photo": {
            "caption": "Quay Street, where 11 independent businesses have asked the "
            "council for help with rising rents.",
            "credit": "Jonah Pike",
            "alt_text": "A narrow street of old shopfronts sloping down towards the "
            "harbour in soft afternoon light.",
            "scene": "town",
            "palette": (340, 210),
        },
    },
    {
        "slug": "upland-farmers-wetland-buffers",
        "headline": "Upland farmers trial wetland buffers to protect the River Aldren",
        "standfirst": "Nine farms on Kelby Moor are giving up strips of pasture "
        "to reed beds and ponds that catch run-off before it reaches the river.",
        "dateline": "KELBY MOOR",
        "section": "environment",
        "tags": ["farming", "River Aldren", "water quality", "Kelby Moor"],
        "bylines": [("niamh-oduya", "Additional reporting")],
        "publish": {"days_ago": 12, "at": "09:05"},
        "publication": "The Westmarch Herald",
        "canonical_url": "https://www.westmarch-herald.example/environment/"
        "upland-farmers-trial-wetland-buffers",
        "body": """
<p>Nine farms on Kelby Moor have begun turning strips of pasture beside the
streams that feed the River Aldren into reed beds and shallow ponds, in a
three-year trial to stop soil and fertiliser washing into the river after
heavy rain.</p>
<p>The buffers, between ten and thirty metres wide, slow water running off the
fields so that silt settles out and plants take up nitrogen and phosphate before
they reach the streams. The farmers are paid for the land they take out of
grazing under a regional water quality scheme.</p>
<p>“If the river’s in trouble, so is everyone downstream of me, and that’s a lot of
people,” said Ewan Tregarth, who has given up almost four hectares of his sheep
farm to the trial.</p>
<p>Monitoring stations above and below the trial farms will measure sediment and
nutrients in the water every fifteen minutes. Results from the first winter are
expected in the spring.</p>
<p>Scientists studying Aldren Bay, at the mouth of the river, are watching
closely. Dr Helen Marrow, a marine biologist at Aldren University, said cleaner
water coming down from the uplands would help the seagrass meadows now
recovering in the bay.</p>
<p><em>This story first appeared in The Westmarch Herald and is published here as
part of a news-sharing partnership.</em></p>
""",
        "quotes": [
            (
                "ewan-tregarth",
                "direct",
                "If the river’s in trouble, so is everyone downstream of me, and "
                "that’s a lot of people.",
            ),
            (
                "helen-marrow",
                "paraphrase",
                "Cleaner water coming down from the uplands would help the seagrass "
                "meadows recovering in the bay.",
            ),
        ],
        "photo": {
            "caption": "A new reed bed on a farm on Kelby Moor, part of a trial to "
            "keep soil out of the River Aldren.",
            "credit": "The Westmarch Herald",
            "alt_text": "Rolling green moorland with a small pond and reeds in the "
            "foreground under a wide sky.",
            "scene": "moor",
            "palette": (205, 95),
        },
    },
    {
        "slug": "skerry-isles-night-ferry-year-round",
        "headline": "Night ferry to the Skerry Isles will run all year",
        "standfirst": "The late sailing, until now a summer-only service, will "
        "keep running through the winter after islanders campaigned to save it.",
        "dateline": "PORT ALDREN",
        "section": "city",
        "tags": ["ferries", "Skerry Isles", "transport", "harbour"],
        "bylines": [("mara-quill", "")],
        "publish": {"days_ago": 15, "at": "13:20"},
        "body": """
<p>The 22:40 ferry from Port Aldren to the Skerry Isles will run every night of
the year from next month, the harbour authority said on Wednesday, after a
campaign by islanders who said the loss of the late sailing each winter cut them
off from jobs and evening classes on the mainland.</p>
<p>Until now the night sailing has run only between May and September. In winter
the last boat home has left at 18:15, leaving islanders who work late shifts in
the city to pay for a room or give up the work.</p>
<p>“For islanders this is the difference between a job on the mainland and no job
at all,” said Lina Castro, a deckhand on the route and the Skerry Isles
representative of the Maritime Workers’ Union, which backed the campaign.</p>
<p>More than 900 people, almost half the population of the three inhabited
islands, signed a petition calling for the sailing to be kept.</p>
<p>The authority said the extra sailings would be paid for from harbour dues for
the first year, and that the service would be reviewed after twelve months to
see whether enough passengers were using it.</p>
""",
        "quotes": [
            (
                "lina-castro",
                "direct",
                "For islanders this is the difference between a job on the mainland "
                "and no job at all.",
            ),
            (
                "port-aldren-harbour-authority",
                "paraphrase",
                "The service will be reviewed after twelve months to see whether "
                "enough passengers are using it.",
            ),
        ],
        "photo": {
            "caption": "The Skerry Isles ferry leaving Port Aldren at dusk.",
            "credit": "Jonah Pike",
            "alt_text": "A small ferry crossing dark water at dusk, with island "
            "hills low on the horizon.",
            "scene": "ferry",
            "palette": (265, 225),
        },
    },
    {
        "slug": "harbour-swim-record-field",
        "headline": "Record field braves Aldren Bay for the harbour swim",
        "standfirst": "More than 400 swimmers finished the 1.5km course, the "
        "largest number in the event’s 31-year history.",
        "dateline": "PORT ALDREN",
        "section": "sport",
        "tags": ["swimming", "Aldren Bay", "harbour swim", "water quality"],
        "bylines": [("niamh-oduya", "")],
        "publish": {"days_ago": 19, "at": "18:10"},
        "body": """
<p>A record 412 swimmers completed the Port Aldren harbour swim on Sunday,
crossing 1.5 kilometres of Aldren Bay from the lifeboat slipway to the beach
below Northcliff in water that barely reached 15C.</p>
<p>The Aldren Bay Swimming Club, which has organised the event since 1994, said
entries had risen by more than a third on last year, with many swimmers taking
part for the first time.</p>
<p>The fastest finisher was Isla Carrow, 17, a member of the club’s junior squad,
who crossed the line in 21 minutes and 48 seconds. The oldest, 81-year-old
Bernard Fenn, finished in just under an hour, to the loudest cheer of the
afternoon.</p>
<p>Organisers said the bay’s improving water had helped attract entrants. Five
years ago the swim was called off twice in one summer after heavy rain washed
sewage into the bay.</p>
<p>“The water in the bay is the cleanest I have measured in fifteen years of
sampling,” said Dr Helen Marrow, a marine biologist at Aldren University who
tests the bay’s water before the event.</p>
<p>The swim raised more than £18,000 for the Port Aldren lifeboat station.</p>
""",
        "quotes": [
            (
                "aldren-bay-swimming-club",
                "paraphrase",
                "Entries rose by more than a third on last year, with many swimmers "
                "taking part for the first time.",
            ),
            (
                "helen-marrow",
                "direct",
                "The water in the bay is the cleanest I have measured in fifteen "
                "years of sampling.",
            ),
        ],
        "photo": {
            "caption": "Swimmers set off from the lifeboat slipway at the start of "
            "the Port Aldren harbour swim.",
            "credit": "Jonah Pike",
            "alt_text": "Dozens of swimmers in bright caps spread across a calm blue "
            "bay on a sunny afternoon.",
            "scene": "bay",
            "palette": (40, 200),
        },
    },
    {
        "slug": "lantern-point-parking-charges",
        "headline": "Council weighs parking charges at Lantern Point",
        "standfirst": "Walkers and surfers could pay to park at the headland for "
        "the first time under plans to fund repairs to the coastal path.",
        "dateline": "PORT ALDREN",
        "section": "city",
        "tags": ["parking", "Lantern Point", "city council"],
        "bylines": [("mara-quill", "")],
        "publish": None,
        "body": """
<p>Port Aldren City Council is considering charging drivers to use the car park
at Lantern Point, the headland at the southern end of the bay that is popular
with walkers, surfers and birdwatchers.</p>
<p>Ruth Penhallow, the council leader, said any money raised would go towards
repairing the coastal path, parts of which were closed after landslips last
winter.</p>
<p>The car park, which has 140 spaces, has always been free. Council officers
have suggested a daily charge of £3, with free parking for residents who hold a
permit.</p>
<p>The proposal will go out to public consultation before councillors vote on it
in the autumn.</p>
""",
        "quotes": [
            (
                "ruth-penhallow",
                "paraphrase",
                "Any money raised would go towards repairing the coastal path.",
            ),
        ],
        "photo": {
            "caption": "The car park and coastal path at Lantern Point.",
            "credit": "Jonah Pike",
            "alt_text": "A grassy headland with a lighthouse above the sea and a "
            "path along the cliff edge.",
            "scene": "headland",
            "palette": (190, 200),
        },
    },
    {
        "slug": "aldren-university-tidal-energy-spinout",
        "headline": "Aldren University spins out tidal energy start-up",
        "standfirst": "Tidewell Energy will test a turbine in the Skerry Sound "
        "next year after raising £2.4 million from investors.",
        "dateline": "PORT ALDREN",
        "section": "business",
        "tags": ["energy", "tidal power", "Aldren University", "start-ups"],
        "bylines": [("tobias-wren", "")],
        "publish": {"days_ahead": 3, "at": "06:00"},
        "body": """
<p>Engineers at Aldren University have set up a company to build turbines that
generate electricity from the fast tides running through the Skerry Sound, after
raising £2.4 million from a group of regional investors.</p>
<p>Tidewell Energy plans to lower its first full-size turbine, about the height
of a two-storey house, onto the seabed off the largest of the Skerry Isles next
summer. If it works, a row of twelve could supply the islands with all of their
electricity.</p>
<p>“The tide comes in twice a day whether we like it or not. We simply want to put
it to work,” said Dr Anya Velez, a marine engineer at the university who founded
the company with two of her former students.</p>
<p>The company will be based in a converted net store on the harbour and expects
to employ fifteen people by the end of next year.</p>
""",
        "quotes": [
            (
                "anya-velez",
                "direct",
                "The tide comes in twice a day whether we like it or not. We simply "
                "want to put it to work.",
            ),
        ],
        "photo": {
            "caption": "The Skerry Sound, where Tidewell Energy plans to test its "
            "first turbine.",
            "credit": "Tidewell Energy",
            "alt_text": "Fast-moving water in a channel between two rocky islands "
            "under a bright morning sky.",
            "scene": "ferry",
            "palette": (25, 185),
        },
    },
]


DEMO_KINDS = [
    "sections",
    "publications",
    "journalists",
    "sources",
    "photos",
    "stories",
    "corrections",
]
# What became of each demo object in a run. "kept": an editor changed it, so
# it was left as they left it; "left out": an editor deleted it (or something
# a story needs), so it was not brought back.
OUTCOMES = ["created", "updated", "unchanged", "kept", "left out"]


def load_demo(*, stdout=None):
    """Create the demo newsroom, or bring it up to date; return what was done.

    Never overwrites an editor's work: each demo object's fingerprint is kept
    (``DemoRecord``) as the loader left it, and an object whose fingerprint no
    longer matches — an editor changed its text, status, bylines, caption,
    focal point, anything — is kept as it is. An object an editor deleted is
    not brought back.

    The result maps each kind of object ("sections", "publications",
    "journalists", "sources", "photos", "stories", "corrections") to counts of
    rows per outcome (``OUTCOMES``), and holds "kept" and "left_out" (for each
    kind, the demo keys of objects kept or left out), "photo_files" (image
    files generated this run) and the overall "created" and "updated" totals.
    ``stdout``, if given, receives a line per story.
    """
    now = timezone.now()
    tally = {kind: dict.fromkeys(OUTCOMES, 0) for kind in DEMO_KINDS}
    with transaction.atomic():
        ledger = Ledger(tally)
        sections = {
            data["slug"]: ledger.sync(
                "sections", data["slug"], Section, {"slug": data["slug"]},
                _without(data, "slug"),
            )
            for data in SECTIONS
        }  # fmt: skip
        publications = {
            data["name"]: ledger.sync(
                "publications", data["name"], Publication, {"name": data["name"]},
                {"url": data["url"]},
            )
            for data in PUBLICATIONS
        }  # fmt: skip
        journalists = {
            data["slug"]: ledger.sync(
                "journalists", data["slug"], Journalist, {"slug": data["slug"]},
                _without(data, "slug"),
            )
            for data in JOURNALISTS
        }  # fmt: skip
        sources = {
            data["slug"]: ledger.sync(
                "sources", data["slug"], Source, {"slug": data["slug"]},
                {"organisation": "", "on_record": True, **_without(data, "slug")},
            )
            for data in SOURCES
        }  # fmt: skip
        for story in STORIES:
            photo = _sync_photo(ledger, story)
            outcome = _sync_story(
                ledger, story, sections, publications, journalists, sources, photo, now
            )
            if stdout is not None:
                stdout.write(f"{story['slug']}: {outcome}\n")
    counts = list(tally.values())
    tally["kept"] = ledger.keys["kept"]
    tally["left_out"] = ledger.keys["left out"]
    tally["photo_files"] = ledger.photo_files
    tally["created"] = sum(count["created"] for count in counts)
    tally["updated"] = sum(count["updated"] for count in counts)
    return tally


def _without(data, *keys):
    return {key: value for key, value in data.items() if key not in keys}


class Ledger:
    """Which object each demo key is, and whether it is still as the loader
    left it (``DemoRecord``). Counts what became of each one."""

    def __init__(self, tally):
        self.tally = tally
        self.records = {(r.kind, r.key): r for r in DemoRecord.objects.all()}
        self.keys = {outcome: {kind: [] for kind in DEMO_KINDS} for outcome in OUTCOMES}
        self.photo_files = 0

    def find(self, kind, key, model, lookup):
        """(the demo object or None, its record or None, whether an editor
        deleted it)."""
        record = self.records.get((kind, key))
        if record is not None:
            obj = model.objects.filter(pk=record.object_id).first()
            return obj, record, obj is None
        # Never loaded, or loaded before fingerprints were kept.
        return model.objects.filter(**lookup).first(), None, False

    def untouched(self, record, state, wanted):
        """Is the object whose ``state`` this is still as the loader left it?"""
        if record is not None:
            return checksum(state) == record.checksum
        # Loaded before fingerprints were kept (or made by someone else under a
        # demo name): the loader's only if it is exactly as the demo has it.
        return all(state.get(name) == value for name, value in wanted.items())

    def note(self, kind, key, outcome):
        self.tally[kind][outcome] += 1
        if outcome in ("kept", "left out"):
            self.keys[outcome][kind].append(key)
        return outcome

    def remember(self, kind, key, obj, state):
        DemoRecord.objects.update_or_create(
            kind=kind,
            key=key,
            defaults={"object_id": obj.pk, "checksum": checksum(state)},
        )

    def sync(self, kind, key, model, lookup, values):
        """A plain demo object: created, brought up to date, kept or left out.

        Returns the object (None if an editor deleted it).
        """
        fields = [*lookup, *values]
        obj, record, deleted = self.find(kind, key, model, lookup)
        if deleted:
            self.note(kind, key, "left out")
            return None
        if obj is None:
            obj = model.objects.create(**lookup, **values)
            outcome = "created"
        elif not self.untouched(record, _fields_state(obj, fields), values):
            self.note(kind, key, "kept")
            return obj
        else:
            outcome = _update(obj, values)
        stored = model.objects.get(pk=obj.pk)
        self.remember(kind, key, obj, _fields_state(stored, fields))
        self.note(kind, key, outcome)
        return obj


def _update(obj, values):
    """Give ``obj`` the ``values`` it lacks, saving only if something changed."""
    changed = [name for name, value in values.items() if getattr(obj, name) != value]
    for name in changed:
        setattr(obj, name, values[name])
    if changed:
        obj.save()
    return "updated" if changed else "unchanged"


def _fields_state(obj, fields):
    return {name: getattr(obj, name) for name in fields}


PHOTO_FIELDS = [
    "original_filename", "caption", "credit", "alt_text", "focal_x", "focal_y",
]  # fmt: skip


def _photo_state(photo):
    return {**_fields_state(photo, PHOTO_FIELDS), "image": photo.image.name or ""}


def _sync_photo(ledger, story):
    """The story's lead photo, with a generated picture if it has no file yet.

    A photo an editor changed (caption, credit, alt text, focal point, file)
    is kept as it is; None if an editor deleted it.
    """
    spec = story["photo"]
    key = f"demo-{story['slug']}.jpg"
    values = {
        "caption": spec["caption"],
        "credit": spec["credit"],
        "alt_text": spec["alt_text"],
        "focal_x": 0.5,
        "focal_y": 0.5,
    }
    photo, record, deleted = ledger.find(
        "photos", key, Photo, {"original_filename": key}
    )
    if deleted:
        ledger.note("photos", key, "left out")
        return None
    if photo is None:
        photo = Photo.objects.create(original_filename=key, **values)
        outcome = "created"
    elif not ledger.untouched(
        record, _photo_state(photo), {"original_filename": key, **values}
    ):
        outcome = "kept"
    else:
        outcome = _update(photo, values)
    if photo.image and photo.image.storage.exists(photo.image.name):
        # Only those missing (after an upgrade) or stale (a new focal point).
        make_renditions(photo)
    elif outcome != "kept":
        content = ContentFile(
            render_scene(story["slug"], spec["scene"], spec["palette"])
        )
        attach_picture(photo=photo, file=content, name=f"{story['slug']}.jpg")
        ledger.photo_files += 1
        if outcome == "unchanged":
            outcome = "updated"
    if outcome != "kept":
        stored = Photo.objects.get(pk=photo.pk)
        ledger.remember("photos", key, photo, _photo_state(stored))
    ledger.note("photos", key, outcome)
    return photo


STORY_FIELDS = [
    "slug", "headline", "standfirst", "body", "dateline", "section_id",
    "lead_photo_id", "publication_id", "canonical_url",
]  # fmt: skip


def _story_state(article):
    """Everything an editor can change in a demo story, as stored."""
    return {
        **_fields_state(article, STORY_FIELDS),
        "status": article.status,
        "published_at": article.published_at,
        "published_date_only": article.published_date_only,
        "tags": sorted(article.tags.names()),
        "bylines": [
            [byline.journalist_id, byline.role]
            for byline in article.bylines.order_by("position", "id")
        ],
        "quotes": [
            [quote.source_id, quote.kind, quote.text]
            for quote in article.quotes.order_by("position", "id")
        ],
        "corrections": sorted(article.corrections.values_list("text", flat=True)),
        "correction_times": sorted(
            article.corrections.values_list("published_at", flat=True)
        ),
    }


def _sync_story(
    ledger, story, sections, publications, journalists, sources, photo, now
):
    """Create, update, keep or leave out one demo story; returns the outcome."""
    key = story["slug"]
    needs = [
        sections[story["section"]],
        photo,
        *(journalists[slug] for slug, _ in story["bylines"]),
        *(sources[slug] for slug, _, _ in story["quotes"]),
    ]
    if story.get("publication"):
        needs.append(publications[story["publication"]])
    article, record, deleted = ledger.find("stories", key, Article, {"slug": key})
    if deleted:
        return ledger.note("stories", key, "left out")
    if None in needs:
        # An editor deleted its photo, section, a journalist or a source: a
        # story still there has changed with it; a missing one cannot be made.
        return ledger.note("stories", key, "kept" if article else "left out")
    values = {
        "headline": story["headline"],
        "standfirst": story["standfirst"],
        # The body is stored sanitized, so compare with the sanitized form.
        "body": sanitize_html(_tidy_body(story["body"])),
        "dateline": story["dateline"],
        "section_id": sections[story["section"]].pk,
        "lead_photo_id": photo.pk,
        "publication_id": getattr(
            publications.get(story.get("publication")), "pk", None
        ),
        "canonical_url": story.get("canonical_url", ""),
    }
    wanted = {
        **values,
        "slug": key,
        "tags": sorted(story["tags"]),
        "bylines": [[journalists[slug].pk, role] for slug, role in story["bylines"]],
        "quotes": [
            [sources[slug].pk, kind, text] for slug, kind, text in story["quotes"]
        ],
        "corrections": sorted(c["text"] for c in story.get("corrections", [])),
    }
    publish_at = None
    if article is None:
        article = Article(slug=key, **values)
        publish_at = _schedule(article, story["publish"], now)
        article.save()
        outcome = "created"
    else:
        if not ledger.untouched(record, _story_state(article), wanted):
            return ledger.note("stories", key, "kept")
        outcome = _update(article, values)
    related_changed = _sync_tags(article, story["tags"])
    related_changed |= _sync_bylines(article, story["bylines"], journalists)
    related_changed |= _sync_quotes(article, story["quotes"], sources)
    related_changed |= _sync_corrections(
        article, story.get("corrections", []), now, ledger.tally
    )
    if related_changed and outcome == "unchanged":
        outcome = "updated"
    if outcome == "created" and story["publish"] is not None:
        # Once its bylines are there: the desk's rules hold for the demo too.
        result = publishing.publish(article=article, by=None, at=publish_at)
        if not result.done:
            raise ValueError(f"demo story {key}: {result.message}")
    stored = Article.objects.get(pk=article.pk)
    ledger.remember("stories", key, article, _story_state(stored))
    return ledger.note("stories", key, outcome)


def _tidy_body(body):
    """One paragraph a line: the data wraps lines only to keep the source short."""
    text = " ".join(body.split())
    return re.sub(r">\s+<", ">\n<", text)


def _schedule(article, publish, now):
    """A new story's publication time from its relative description: set on
    the story for a day without a time (and None returned), else returned,
    for ``publishing.publish``."""
    if publish is None:
        return None
    tz = newsroom_timezone()
    if "days_ahead" in publish:
        day = timezone.localdate(now, tz) + datetime.timedelta(publish["days_ahead"])
    else:
        day = timezone.localdate(now, tz) - datetime.timedelta(publish["days_ago"])
    if publish.get("date_only"):
        article.set_publication_day(day)
        return None
    time = datetime.time.fromisoformat(publish["at"])
    return timezone.make_aware(datetime.datetime.combine(day, time), tz)


def _sync_tags(article, names):
    if set(article.tags.names()) == set(names):
        return False
    article.tags.set(names)
    return True


def _sync_bylines(article, bylines, journalists):
    """Make the story's bylines exactly ``bylines``, keeping rows that match."""
    changed = False
    wanted = {}
    for position, (slug, role) in enumerate(bylines):
        wanted[journalists[slug].pk] = (position, role)
    for byline in list(article.bylines.all()):
        if byline.journalist_id not in wanted:
            byline.delete()
            changed = True
            continue
        position, role = wanted.pop(byline.journalist_id)
        if (byline.position, byline.role) != (position, role):
            byline.position, byline.role = position, role
            byline.save()
            changed = True
    for journalist_id, (position, role) in wanted.items():
        Byline.objects.create(
            article=article, journalist_id=journalist_id, position=position, role=role
        )
        changed = True
    return changed


def _sync_quotes(article, quotes, sources):
    """Make the story's quotes exactly ``quotes``, in order, reusing rows."""
    changed = False
    existing = list(article.quotes.order_by("position", "id"))
    for position, (slug, kind, text) in enumerate(quotes):
        values = {
            "source": sources[slug],
            "kind": kind,
            "text": text,
            "position": position,
        }
        if position < len(existing):
            quote = existing[position]
            if any(getattr(quote, name) != value for name, value in values.items()):
                for name, value in values.items():
                    setattr(quote, name, value)
                quote.save()
                changed = True
        else:
            Quote.objects.create(article=article, **values)
            changed = True
    for quote in existing[len(quotes) :]:
        quote.delete()
        changed = True
    return changed


def _sync_corrections(article, corrections, now, tally):
    """Make the story's corrections the demo's; a correction keeps its time
    once made."""
    texts = [correction["text"] for correction in corrections]
    removed, _ = article.corrections.exclude(text__in=texts).delete()
    changed = bool(removed)
    for correction in corrections:
        when = (article.published_at or now) + datetime.timedelta(
            hours=correction["hours_after"]
        )
        _, created = Correction.objects.get_or_create(
            article=article,
            text=correction["text"],
            defaults={"published_at": min(when, now)},
        )
        tally["corrections"]["created" if created else "unchanged"] += 1
        changed |= created
    return changed


# Pictures -------------------------------------------------------------------

WIDTH, HEIGHT = 1600, 900


def _colour(hue, saturation, lightness):
    red, green, blue = colorsys.hls_to_rgb((hue % 360) / 360, lightness, saturation)
    return round(red * 255), round(green * 255), round(blue * 255)


def _mix(first, second, amount):
    return tuple(
        round(a + (b - a) * amount) for a, b in zip(first, second, strict=True)
    )


def _vertical_gradient(size, top, bottom):
    width, height = size
    mask = Image.linear_gradient("L").resize((width, height))
    return Image.composite(
        Image.new("RGB", size, bottom), Image.new("RGB", size, top), mask
    )


def _ridge(rng, y, amplitude, width=WIDTH):
    """Points along a gently rolling skyline, closed along the bottom edge."""
    phases = [rng.uniform(0, 6.3) for _ in range(3)]
    waves = [rng.uniform(1.0, 2.2), rng.uniform(2.5, 4.5), rng.uniform(6, 9)]
    points = []
    for x in range(0, width + 20, 20):
        t = x / width
        offset = sum(
            math.sin(t * wave * math.pi + phase) / (index + 1)
            for index, (wave, phase) in enumerate(zip(waves, phases, strict=True))
        )
        points.append((x, y - amplitude * offset))
    return [*points, (width, HEIGHT), (0, HEIGHT)]


def render_scene(seed, scene, palette):
    """A JPEG (as bytes) of a simple coastal landscape in the given hues.

    ``scene`` picks the foreground: "bay", "town", "harbour", "ferry",
    "stadium", "moor" or "headland". The same arguments give the same picture.
    """
    sky_hue, sea_hue = palette
    rng = random.Random(seed)
    horizon = 560 if scene not in {"moor", "stadium"} else 600
    sky_top = _colour(sky_hue, 0.55, 0.32)
    sky_low = _colour(sky_hue + 25, 0.75, 0.78)
    image = Image.new("RGB", (WIDTH, HEIGHT))
    image.paste(_vertical_gradient((WIDTH, horizon), sky_top, sky_low), (0, 0))
    draw = ImageDraw.Draw(image)

    # Sun with a soft halo.
    sun_x, sun_y = rng.randint(300, 1300), rng.randint(140, horizon - 160)
    sun = _colour(sky_hue + 40, 0.9, 0.88)
    halo = 300
    glow = Image.radial_gradient("L").resize((halo * 2, halo * 2))
    glow = glow.point(lambda value: round(max(0, 255 - value * 1.6) * 0.75))
    image.paste(sun, (sun_x - halo, sun_y - halo), glow)
    draw.ellipse((sun_x - 60, sun_y - 60, sun_x + 60, sun_y + 60), fill=sun)

    # Distant hills, paler the further away they are.
    far = _colour(sea_hue + 20, 0.25, 0.45)
    for layer, amount in enumerate((0.65, 0.35)):
        draw.polygon(
            _ridge(rng, horizon - 40 + layer * 25, 45 - layer * 10),
            fill=_mix(far, sky_low, amount),
        )

    if scene in {"moor", "stadium"}:
        _draw_land(image, draw, rng, horizon, sea_hue, scene)
    else:
        _draw_sea(image, draw, rng, horizon, sea_hue, sun_x, sun)
        foreground = {
            "town": _draw_town,
            "harbour": _draw_harbour,
            "ferry": _draw_ferry,
            "headland": _draw_headland,
        }.get(scene)
        if foreground is not None:
            foreground(draw, rng, horizon, sky_hue, sea_hue)

    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=85, optimize=True)
    return buffer.getvalue()


def _draw_sea(image, draw, rng, horizon, hue, sun_x, sun):
    top = _colour(hue, 0.45, 0.55)
    bottom = _colour(hue, 0.55, 0.22)
    image.paste(
        _vertical_gradient((WIDTH, HEIGHT - horizon), top, bottom), (0, horizon)
    )
    for _ in range(140):
        y = rng.randint(horizon + 4, HEIGHT)
        depth = (y - horizon) / (HEIGHT - horizon)
        length = rng.randint(20, 60) + round(depth * 120)
        near_sun = abs(rng.gauss(sun_x, 80 + depth * 140))
        x = round(near_sun) if rng.random() < 0.6 else rng.randint(0, WIDTH)
        draw.line(
            (x - length // 2, y, x + length // 2, y),
            fill=_mix(_mix(top, bottom, depth), sun, 0.55 - depth * 0.3),
            width=2 + round(depth * 3),
        )


def _draw_land(image, draw, rng, horizon, hue, scene):
    fields = [
        _colour(hue + shift, 0.4, 0.32 + index * 0.05)
        for index, shift in enumerate((0, 12, -10, 20))
    ]
    for index, fill in enumerate(fields):
        draw.polygon(_ridge(rng, horizon + index * 70, 30 - index * 4), fill=fill)
    if scene == "stadium":
        pitch = _colour(hue, 0.45, 0.4)
        draw.polygon(
            [(180, HEIGHT), (420, 700), (1180, 700), (1420, HEIGHT)], fill=pitch
        )
        line = _mix(pitch, (255, 255, 255), 0.7)
        draw.line((800, 700, 800, HEIGHT), fill=line, width=4)
        draw.ellipse((700, 760, 900, 860), outline=line, width=4)
        for x in (120, 1480):
            draw.line((x, HEIGHT, x, 300), fill=(40, 40, 48), width=14)
            draw.rectangle((x - 60, 260, x + 60, 310), fill=(250, 248, 220))
    else:
        water = _colour(hue + 100, 0.35, 0.55)
        draw.ellipse((260, 730, 760, 830), fill=water)
        reed = _mix(fields[-1], (30, 40, 20), 0.5)
        for _ in range(70):
            x = rng.randint(220, 800)
            draw.line((x, 790, x + rng.randint(-12, 12), 700), fill=reed, width=3)


def _draw_town(draw, rng, horizon, sky_hue, sea_hue):
    base = horizon + 40
    x = 0
    while x < WIDTH:
        width = rng.randint(70, 150)
        height = rng.randint(90, 260)
        wall = _colour(rng.choice((sky_hue, sea_hue, sky_hue + 180)), 0.35, 0.55)
        draw.rectangle((x, base - height, x + width, base + 40), fill=wall)
        draw.polygon(
            [
                (x - 6, base - height),
                (x + width // 2, base - height - 40),
                (x + width + 6, base - height),
            ],
            fill=_mix(wall, (40, 30, 30), 0.5),
        )
        window = _mix(wall, (255, 236, 180), 0.6)
        for wy in range(base - height + 25, base, 45):
            for wx in range(x + 14, x + width - 20, 32):
                draw.rectangle((wx, wy, wx + 14, wy + 20), fill=window)
        x += width + rng.randint(0, 12)
    draw.rectangle((0, base + 40, WIDTH, base + 60), fill=_colour(sea_hue, 0.1, 0.3))


def _draw_harbour(draw, rng, horizon, sky_hue, sea_hue):
    steel = _mix(_colour(sky_hue, 0.3, 0.15), (0, 0, 0), 0.3)
    draw.rectangle((0, horizon + 50, WIDTH, horizon + 90), fill=steel)
    for x in range(140, WIDTH, 360):
        top = horizon - rng.randint(220, 320)
        draw.line((x, horizon + 50, x + 30, top), fill=steel, width=14)
        draw.line((x + 90, horizon + 50, x + 60, top), fill=steel, width=14)
        draw.rectangle((x - 120, top - 24, x + 240, top), fill=steel)
        draw.line((x + 200, top, x + 200, top + 160), fill=steel, width=4)
    for x in range(40, WIDTH, 90):
        height = rng.choice((30, 60))
        colour = _colour(rng.choice((0, 20, 200, 210)), 0.5, 0.35)
        draw.rectangle((x, horizon + 50 - height, x + 80, horizon + 50), fill=colour)


def _draw_ferry(draw, rng, horizon, sky_hue, sea_hue):
    islands = _mix(_colour(sea_hue, 0.2, 0.3), _colour(sky_hue, 0.5, 0.7), 0.3)
    for x, width in ((120, 420), (1050, 520)):
        draw.ellipse((x, horizon - 50, x + width, horizon + 40), fill=islands)
    hull = (30, 34, 44)
    x, y = rng.randint(350, 900), horizon + 150
    draw.polygon([(x, y), (x + 420, y), (x + 380, y + 60), (x + 30, y + 60)], fill=hull)
    draw.rectangle((x + 90, y - 70, x + 330, y), fill=(236, 236, 230))
    draw.rectangle((x + 150, y - 120, x + 250, y - 70), fill=(236, 236, 230))
    draw.rectangle(
        (x + 190, y - 170, x + 220, y - 120), fill=_colour(sky_hue, 0.7, 0.5)
    )
    for wx in range(x + 105, x + 320, 34):
        draw.rectangle((wx, y - 50, wx + 18, y - 30), fill=(255, 220, 140))


def _draw_headland(draw, rng, horizon, sky_hue, sea_hue):
    grass = _colour(100, 0.4, 0.35)
    draw.polygon(
        [
            (WIDTH, horizon - 180),
            (1050, horizon - 150),
            (880, horizon + 120),
            (980, HEIGHT),
            (WIDTH, HEIGHT),
        ],
        fill=grass,
    )
    draw.rectangle((1300, horizon - 360, 1350, horizon - 170), fill=(244, 242, 236))
    draw.rectangle((1290, horizon - 390, 1360, horizon - 360), fill=(200, 40, 40))
    draw.line(
        (1060, horizon - 140, 1200, horizon - 60, 1500, horizon - 40),
        fill=_mix(grass, (230, 220, 190), 0.6),
        width=6,
    )
