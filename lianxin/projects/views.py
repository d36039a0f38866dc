"""Pages of practical projects: the staff side (create, milestones, completion) and the public
side (/projects/, each project's page, following by phone, rating)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lianxin.core.forms import apply_errors, paginate
from lianxin.portal.photos import clean_photos
from lianxin.projects import forms, selectors, services
from lianxin.projects.models import Commitment, ProjectStatus


def _try(form, action):
    try:
        return action()
    except ValidationError as exc:
        apply_errors(form, exc)
    except services.ProjectError as exc:
        form.add_error(None, exc.message)
    return None


# --- Staff ---------------------------------------------------------------------------------
@login_required
def project_list(request):
    projects = selectors.projects_for_staff(request.user).select_related("community", "owner")
    return render(
        request,
        "projects/project_list.html",
        {
            "page": paginate(request, projects, 30),
            "can_create": selectors.can_create_project(request.user, None)
            or request.user.role == "worker",
        },
    )


def _proposal_initial(request, proposal_id) -> tuple[dict, object]:
    """What a project started from a proposal already knows. Anyone who may read the
    proposal's case (its community's workers, the representative, the district) may start one."""
    from lianxin.cases.permissions import cases_visible_to
    from lianxin.outreach.models import Proposal

    proposal = (
        Proposal.objects.filter(pk=proposal_id, case__in=cases_visible_to(request.user))
        .select_related("case__community", "representative")
        .first()
        if proposal_id
        else None
    )
    if proposal is None:
        return {}, None
    case = proposal.case
    return {
        "title": case.title,
        "summary": case.description,
        "community": case.community_id,
        "proposal": proposal.pk,
    }, proposal


@login_required
def project_create(request):
    source = request.POST if request.method == "POST" else request.GET
    proposal_id = source.get("proposal")
    initial, proposal = _proposal_initial(
        request, int(proposal_id) if str(proposal_id).isdigit() else None
    )
    form = forms.ProjectForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        project = _try(
            form,
            lambda: services.project_create(
                actor=request.user,
                title=data["title"],
                summary=data["summary"],
                owner=data["owner"],
                starts_on=data["starts_on"],
                community=data["community"],
                budget=data["budget"],
                hot_topic=data["hot_topic"],
                proposals=[proposal] if proposal else [],
            ),
        )
        if project:
            messages.success(request, _("The practical project is recorded; add its milestones."))
            return redirect(project.get_absolute_url())
    if not selectors.can_create_project(request.user, None) and request.user.role != "worker":
        raise Http404
    return render(request, "projects/project_form.html", {"form": form, "proposal": proposal})


def _detail(request, project, status=200, **given):
    can_manage = selectors.can_manage_project(request.user, project)
    open_project = project.status not in (ProjectStatus.COMPLETED, ProjectStatus.CANCELLED)
    return render(
        request,
        "projects/project_detail.html",
        {
            "project": project,
            "can_manage": can_manage,
            "milestone_form": given.get("milestone_form")
            or (forms.MilestoneForm() if can_manage and open_project else None),
            "reach_form": given.get("reach_form") or (forms.ReachForm() if can_manage else None),
            "reach_for": given.get("reach_for"),
            "complete_form": given.get("complete_form")
            or (forms.CompleteForm() if can_manage and open_project else None),
            "followers": project.followers.count(),
            "ratings": selectors.rating_summary(project),
        },
        status=status,
    )


@login_required
def project_detail(request, pk: int):
    return _detail(request, selectors.project_get_for_staff(request.user, pk))


@login_required
@require_POST
def milestone_add(request, pk: int):
    project = selectors.project_get_for_staff(request.user, pk)
    form = forms.MilestoneForm(request.POST)
    if form.is_valid() and _try(
        form,
        lambda: services.milestone_add(actor=request.user, project=project, **form.cleaned_data),
    ):
        messages.success(request, _("The milestone is added."))
        return redirect(project.get_absolute_url())
    return _detail(request, project, status=400, milestone_form=form)


@login_required
@require_POST
def milestone_reach(request, pk: int):
    project = selectors.project_get_for_staff(request.user, pk)
    form = forms.ReachForm(request.POST, request.FILES)
    if form.is_valid():
        milestone = project.milestones.filter(pk=form.cleaned_data["milestone"]).first()
        if milestone is None:
            raise Http404

        def reach():
            photos = clean_photos(form.cleaned_data["photos"])
            return services.milestone_reach(
                actor=request.user,
                milestone=milestone,
                reached_on=form.cleaned_data["reached_on"],
                note=form.cleaned_data["note"],
                photos=photos,
            )

        if _try(form, reach):
            messages.success(request, _("The milestone is reached; followers are told by SMS."))
            return redirect(project.get_absolute_url())
    return _detail(
        request, project, status=400, reach_form=form, reach_for=form.data.get("milestone")
    )


@login_required
@require_POST
def project_complete(request, pk: int):
    project = selectors.project_get_for_staff(request.user, pk)
    form = forms.CompleteForm(request.POST)
    if form.is_valid() and _try(
        form,
        lambda: services.project_complete(actor=request.user, project=project, **form.cleaned_data),
    ):
        messages.success(request, _("The project is completed; followers are asked to rate it."))
        return redirect(project.get_absolute_url())
    return _detail(request, project, status=400, complete_form=form)


# --- Public --------------------------------------------------------------------------------
def public_list(request):
    projects = selectors.projects_public()
    return render(request, "projects/public_list.html", {"projects": projects})


def public_detail(request, pk: int):
    project = selectors.project_get_public(pk)
    form = forms.FollowForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            result = _try(
                form,
                lambda: services.project_follow(
                    project=project,
                    phone=form.cleaned_data["phone"],
                    consent=form.cleaned_data["consent"],
                ),
            )
            if result:
                messages.success(
                    request,
                    _("You follow this project; we will text you at each milestone.")
                    if result[1]
                    else _("This phone already follows the project."),
                )
                return redirect(project.get_public_url())
        status = 400
    return render(
        request,
        "projects/public_detail.html",
        {"project": project, "form": form, "ratings": selectors.rating_summary(project)},
        status=status,
    )


def public_rate(request, token: str):
    form = forms.RateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        rating = _try(form, lambda: services.project_rate(token=token, **form.cleaned_data))
        if rating:
            messages.success(request, _("Thank you for rating the project."))
            return redirect(rating.project.get_public_url())
    return render(request, "projects/public_rate.html", {"form": form})


# --- Commitments ---------------------------------------------------------------------------
@login_required
def commitment_list(request):
    from lianxin.directory.models import Representative
    from lianxin.projects import commitments

    user = request.user
    if user.role == "admin":
        reps = Representative.objects.filter(is_active=True)
    elif user.role == "representative":
        reps = Representative.objects.filter(user=user)
    elif user.role == "supervisor":
        reps = Representative.objects.filter(is_active=True)
    else:
        raise Http404
    year = timezone.localdate().year
    rows = (
        Commitment.objects.filter(representative__in=reps, year=year)
        .select_related("representative", "community")
        .order_by("representative__name", "due_on")
    )
    own = reps.filter(user=user).first() if user.role == "representative" else None
    form = forms.CommitmentForm(request.POST or None, representative=own)
    if request.method == "POST" and own is not None and form.is_valid():
        done = _try(
            form,
            lambda: commitments.commitment_add(actor=user, representative=own, **form.cleaned_data),
        )
        if done:
            messages.success(request, _("The commitment is published on the community page."))
            return redirect("projects:commitments")
    return render(
        request,
        "projects/commitment_list.html",
        {
            "rows": rows,
            "form": form if own is not None else None,
            "progress_form": forms.CommitmentProgressForm(),
            "year": year,
            "can_update": {c.pk for c in rows if commitments.can_manage(user, c.representative)},
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_POST
def commitment_progress(request, pk: int):
    from lianxin.projects import commitments

    commitment = Commitment.objects.select_related("representative").filter(pk=pk).first()
    if commitment is None or not commitments.can_manage(request.user, commitment.representative):
        raise Http404
    form = forms.CommitmentProgressForm(request.POST)
    if form.is_valid():
        try:
            commitments.commitment_progress(
                actor=request.user, commitment=commitment, **form.cleaned_data
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        except commitments.CommitmentError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("The progress is published."))
    else:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return redirect("projects:commitments")
