from . import tools
from . import models
from . import reports
from . import wizards
from . import controllers
from .hooks import _pre_init_hook, _post_init_hook
