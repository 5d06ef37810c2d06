"""The newsletter's side of a person's erasure (RGPD art. 17, ``essaim.accounts.services.user_erase``): the accounts
app knows nothing of the newsletter, so the newsletter listens and deletes the subscriptions of the person's
address (the deliveries keep their counts, without the address)."""

from django.db.models.signals import pre_delete


def _forget_subscriptions(sender, instance, **kwargs):
    from essaim.news.services.newsletter import subscriptions_erase

    if instance.email:
        subscriptions_erase(email=instance.email)


def connect():
    from django.contrib.auth import get_user_model

    pre_delete.connect(_forget_subscriptions, sender=get_user_model(), dispatch_uid="news_forget_subscriptions")
