/** Project workspace (being built): loads the project and shows its portrait. */
import { useEffect, useState } from 'react';
import { Alert, Box, CircularProgress, Typography } from '@mui/material';
import type { ProjectDetail } from '../../shared/contracts/studio-api';
import { useStudio } from '../api/StudioProvider';
import { errorMessage } from '../common/errors';

export function Workspace({ projectId }: { projectId: string; onClose(): void }) {
  const { api, assetSrc } = useStudio();
  const [project, setProject] = useState<ProjectDetail | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    api.getProject(projectId).then(setProject, (err: unknown) => setError(errorMessage(err)));
  }, [api, projectId]);
  if (error) return <Alert severity="error" sx={{ m: 3 }}>{error}</Alert>;
  if (!project) return <CircularProgress sx={{ m: 3 }} aria-label="Loading project" />;
  return (
    <Box sx={{ p: 3 }}>
      <Typography variant="h5" component="h1">{project.name}</Typography>
      {project.inputUrl && <Box component="img" src={assetSrc(project.inputUrl)} alt="Input portrait" sx={{ maxWidth: 320, mt: 2 }} />}
    </Box>
  );
}
