import { Module } from '@nestjs/common';
import { SampleAppModule } from './sample-app.module';

/** The sample app, configured from the environment (`AuthCodeModule.forRoot()`). */
@Module({ imports: [SampleAppModule.register()] })
export class AppModule {}
