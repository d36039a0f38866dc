import pytest

from lianxin.core import demo
from lianxin.projects.models import Project, ProjectStatus


@pytest.mark.django_db
def test_the_demo_has_the_canteen_from_a_proposal_and_the_pages_open(client):
    from lianxin.accounts.models import User

    demo.load(seed=demo.DEFAULT_SEED, residents=60, log=lambda *a: None)
    canteen = Project.objects.get(title__contains="小食堂")
    assert canteen.proposals.exists() and canteen.milestones.count() == 3
    assert canteen.status == ProjectStatus.UNDERWAY and canteen.progress == 70
    assert Project.objects.filter(status=ProjectStatus.COMPLETED).exists()
    assert client.get("/projects/").status_code == 200
    assert client.get(canteen.get_public_url()).status_code == 200
    page = client.get(f"/c/{canteen.community.code}/").content.decode()
    assert "栓心工程：职工小食堂" in page
    client.force_login(User.objects.get(username="worker"))
    assert client.get(canteen.get_absolute_url()).status_code == 200
    assert client.get("/staff/projects/").status_code == 200
