from . import post_webhook
from . import portal
