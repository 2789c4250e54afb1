from . import post_webhook
