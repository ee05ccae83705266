from celery import shared_task

from taxgov.federal.plans.actions import do_run_payment_plans


@shared_task(name="taxgov.federal.plans.tasks.run_payment_plans")
def run_payment_plans() -> dict[str, int]:
    """Daily: installments due (direct debits through the payments app), notices of intent to
    terminate, defaults, and plans paid in full."""
    result = do_run_payment_plans()
    return {
        "installments": result.installments,
        "debits": result.debits,
        "notices": result.notices,
        "defaults": result.defaults,
        "completed": result.completed,
    }
