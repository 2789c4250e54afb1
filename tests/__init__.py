from . import test_law_penalty
from . import test_law_dates
from . import test_engine
from . import test_remind_wizard
from . import test_security
from . import test_penalty_move
from . import test_case
from . import test_stops
