from . import tools
from . import models
from . import wizards
from .hooks import _pre_init_hook, _post_init_hook
